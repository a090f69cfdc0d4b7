// The compiled binary started with --domain gets a certificate from a real ACME server (Pebble) by
// each challenge type, and serves it: a TLS client that trusts only Pebble's root accepts it for
// the name. The self-signed certificate serves meanwhile (startBinary waits for /api/health first).
import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { freePort, type RunningBinary } from "../support/binary.ts";
import { startPebble, type Pebble } from "./pebble.ts";
import { servedCertificate, startWithDomain, waitForLog } from "./vaultroom.ts";

let pebble: Pebble | null = null;
let vaultroom: RunningBinary | null = null;
afterEach(async () => {
  await vaultroom?.stop();
  await pebble?.stop();
  vaultroom = pebble = null;
});

async function expectTrustedAfterSwitch(binary: RunningBinary, port: number, root: string) {
  const listening = await waitForLog(binary, "listening");
  expect(listening.selfSigned).toBe(true);
  const switched = await waitForLog(binary, "certificate_switched");
  expect(switched.previousSha256).toBe(listening.certificateSha256);
  const served = await servedCertificate(port, root);
  expect(served).toMatchObject({ authorized: true, error: null, fingerprint: switched.certificateSha256 });
  expect(served.issuer).toContain("Pebble Intermediate CA");
  // Once trusted, HSTS asks browsers to remember HTTPS for a year.
  const response = await fetch(`https://127.0.0.1:${port}/api/health`, { tls: { rejectUnauthorized: false } });
  expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  console.log(`issued and switched in ${String(switched.ms)} ms`);
  return switched;
}

/** Each test runs a binary and a Pebble; a few seconds is typical, this is the limit. */
const TIMEOUT = 90_000;

describe("a certificate from the ACME server", () => {
  test("by TLS-ALPN-01, answered on the HTTPS port itself", async () => {
    const port = await freePort();
    pebble = await startPebble({ tlsPort: port });
    vaultroom = await startWithDomain(pebble, { port });
    expect((await waitForLog(vaultroom, "acme_challenge")).challenge).toBe("tls-alpn-01");
    await expectTrustedAfterSwitch(vaultroom, port, pebble.root);

    // Stored for the next start, private to the server's user, and no private key in the log.
    const acmeDir = join(vaultroom.dataDir, "..", "certs", "acme");
    expect(statSync(acmeDir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(acmeDir)) expect([name, statSync(join(acmeDir, name)).mode & 0o777]).toEqual([name, 0o600]);
    expect(readdirSync(acmeDir).sort()).toEqual(["account-key.pem", "accounts.json", "cert.pem", "key.pem", "meta.json"]);
    expect(vaultroom.output()).not.toContain("PRIVATE KEY");
  }, TIMEOUT);

  test("by HTTP-01, answered on the redirect listener", async () => {
    const [port, redirectPort] = [await freePort(), await freePort()];
    pebble = await startPebble({ httpPort: redirectPort });
    vaultroom = await startWithDomain(pebble, { port, args: ["--redirect-port", String(redirectPort)] });
    const choice = await waitForLog(vaultroom, "acme_challenge");
    expect(choice).toMatchObject({ challenge: "http-01", otherChallenge: expect.stringContaining("TLS-ALPN-01") });
    await expectTrustedAfterSwitch(vaultroom, port, pebble.root);
    // The redirect listener still redirects everything else.
    const redirect = await fetch(`http://127.0.0.1:${redirectPort}/chat`, { redirect: "manual" });
    expect(redirect.status).toBe(308);
  }, TIMEOUT);
});
