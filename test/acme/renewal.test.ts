// Renewal: with short-lived certificates VaultRoom renews at two thirds of the lifetime and swaps the
// new one in, in the same process; and a restart with a good stored certificate serves it without a
// single request to the ACME server (Pebble is stopped by then: any request would fail and be logged).
import { afterEach, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type RunningBinary } from "../support/binary.ts";
import { startPebble, type Pebble } from "./pebble.ts";
import { logLines, servedCertificate, startWithDomain, waitForLog } from "./vaultroom.ts";

let pebble: Pebble | null = null;
let vaultroom: RunningBinary | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await vaultroom?.stop();
  await pebble?.stop();
  vaultroom = pebble = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Each test runs a binary and a Pebble; a few seconds is typical, this is the limit. */
const TIMEOUT = 90_000;

describe("renewal", () => {
  test("a certificate is renewed at two thirds of its lifetime and swapped in without a restart", async () => {
    const port = await freePort();
    pebble = await startPebble({ tlsPort: port, validitySeconds: 6 });
    vaultroom = await startWithDomain(pebble, { port });
    const first = await waitForLog(vaultroom, "certificate_switched");
    const notBefore = Date.parse(String(first.notAfter)) - 5000; // Pebble: notAfter = notBefore + validity - 1 s
    expect(Date.parse(String(first.renewAt)) - notBefore).toBeCloseTo((5000 * 2) / 3, -2);

    const renewed = await waitForLog(vaultroom, "certificate_switched", (line) => line.previousSha256 === first.certificateSha256);
    expect(renewed.certificateSha256).not.toBe(first.certificateSha256);
    // Not before it was due.
    expect(Date.parse(String(renewed.time))).toBeGreaterThanOrEqual(Date.parse(String(first.renewAt)));
    expect(await servedCertificate(port, pebble.root)).toMatchObject({ authorized: true, fingerprint: renewed.certificateSha256 });
    expect(logLines(vaultroom).filter((line) => line.event === "listening")).toHaveLength(1);
  }, TIMEOUT);

  test("a restart reuses the stored certificate without contacting the ACME server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultroom-acme-"));
    dirs.push(dir);
    const port = await freePort();
    pebble = await startPebble({ tlsPort: port });
    // The same flags for both runs: the CA file outlives this Pebble.
    const acme = { directoryUrl: pebble.directoryUrl, caFile: join(dir, "pebble-ca.pem") };
    copyFileSync(pebble.caFile, acme.caFile);
    vaultroom = await startWithDomain(acme, { port, dir });
    const issued = await waitForLog(vaultroom, "certificate_switched");
    await vaultroom.stop();
    await pebble.stop();
    const root = pebble.root;
    pebble = null;

    vaultroom = await startWithDomain(acme, { port, dir });
    const reused = await waitForLog(vaultroom, "acme_certificate_reused");
    expect(reused.notAfter).toBe(issued.notAfter);
    expect(await waitForLog(vaultroom, "listening")).toMatchObject({ certificateSha256: issued.certificateSha256, selfSigned: false, certificateSource: "acme" });
    expect(await servedCertificate(port, root)).toMatchObject({ authorized: true, fingerprint: issued.certificateSha256 });
    expect(logLines(vaultroom).map((line) => line.event)).not.toContain("acme_attempt");
  }, TIMEOUT);
});
