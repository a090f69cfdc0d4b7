// When the ACME server cannot be reached or refuses, VaultRoom keeps serving the certificate it has,
// says why in the CA's own words, and retries with growing waits (--acme-retry 1: 1 s, 2 s, 4 s ...;
// 10 min, 20 min, 40 min, then hourly by default).
import { afterEach, describe, expect, test } from "bun:test";
import { freePort, type RunningBinary } from "../support/binary.ts";
import { TEST_DOMAIN, startPebble, type Pebble } from "./pebble.ts";
import { logLines, servedCertificate, startWithDomain, unreachableAcme, waitForLog } from "./vaultroom.ts";

let pebble: Pebble | null = null;
let vaultroom: RunningBinary | null = null;
afterEach(async () => {
  await vaultroom?.stop();
  await pebble?.stop();
  vaultroom = pebble = null;
});

const failures = (binary: RunningBinary) => logLines(binary).filter((line) => line.event === "acme_failed");

/** Each test runs a binary and a Pebble; a few seconds is typical, this is the limit. */
const TIMEOUT = 90_000;

describe("when the ACME server fails", () => {
  test("unreachable: the self-signed certificate keeps serving, the log says so plainly, retries back off", async () => {
    const acme = await unreachableAcme();
    vaultroom = await startWithDomain(acme);
    const listening = await waitForLog(vaultroom, "listening");
    await waitForLog(vaultroom, "acme_failed", (line) => line.attempt === 3);
    expect(failures(vaultroom).map((line) => line.retryInSeconds)).toEqual([1, 2, 4]);
    expect(failures(vaultroom)[0]!.error).toBe(`cannot reach the ACME server at ${acme.directoryUrl}: connection refused`);
    expect(failures(vaultroom)[0]!.message).toContain("VaultRoom keeps serving its current certificate");
    // One attempt at a time, each after the announced wait.
    const attempts = logLines(vaultroom).filter((line) => line.event === "acme_attempt").map((line) => Date.parse(String(line.time)));
    expect(attempts.length).toBe(3);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(2000);

    expect((await fetch(`${vaultroom.url}/api/health`, { tls: { rejectUnauthorized: false } })).status).toBe(200);
    expect((await servedCertificate(vaultroom.port)).fingerprint).toBe(String(listening.certificateSha256));
  }, TIMEOUT);

  test("refusing a renewal: the previous certificate keeps serving, with a loud warning as it nears expiry", async () => {
    const port = await freePort();
    pebble = await startPebble({ tlsPort: port, validitySeconds: 6 });
    const apiPort = Number(new URL(pebble.directoryUrl).port);
    vaultroom = await startWithDomain(pebble, { port });
    const issued = await waitForLog(vaultroom, "certificate_switched");

    // The same CA (address, HTTPS key) now refuses the name. It has also forgotten the account, as a
    // reset CA would: VaultRoom looks it up again first.
    const https = pebble.https;
    await pebble.stop();
    pebble = await startPebble({ tlsPort: port, listenPort: apiPort, blocklist: [TEST_DOMAIN], https });
    const refused = await waitForLog(vaultroom, "acme_failed", (line) => /forbid|block|policy/i.test(String(line.error)));
    expect(String(refused.error)).toContain(TEST_DOMAIN);
    const loud = await waitForLog(vaultroom, "certificate_expiring");
    expect(loud.level).toBe("error");
    expect(String(loud.message)).toMatch(/COULD NOT BE RENEWED/);

    expect(logLines(vaultroom).filter((line) => line.event === "certificate_switched")).toHaveLength(1);
    expect((await servedCertificate(port)).fingerprint).toBe(String(issued.certificateSha256));
    expect((await fetch(`${vaultroom.url}/api/health`, { tls: { rejectUnauthorized: false } })).status).toBe(200);
  }, TIMEOUT);
});
