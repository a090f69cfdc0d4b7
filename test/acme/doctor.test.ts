// `vaultroom doctor` (the compiled binary) on a certificate close to expiry, or past it, with and
// without --domain: a warning within 7 days, a problem (exit 1) once expired.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/app.ts";
import { assertBinaryBuilt, BINARY } from "../support/binary.ts";
import { seedDataDir } from "../ops/support.ts";
import { TEST_DOMAIN } from "./pebble.ts";

const DAY = 24 * 3600_000;

async function certificateValidFor(ms: number): Promise<string> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${TEST_DOMAIN}`,
    notBefore: new Date(Date.now() - 80 * DAY),
    notAfter: new Date(Date.now() + ms),
    signingAlgorithm: algorithm,
    keys,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: "dns", value: TEST_DOMAIN }])],
  });
  return certificate.toString("pem");
}

async function doctor(place: (certs: string) => Promise<void>, args: string[] = []) {
  assertBinaryBuilt();
  const dir = tempDir("vaultroom-doctor-");
  try {
    seedDataDir(join(dir, "data"), { files: 0 });
    const certs = join(dir, "certs");
    mkdirSync(join(certs, "acme"), { recursive: true, mode: 0o700 });
    await place(certs);
    const child = Bun.spawn([BINARY, "doctor", "--data", join(dir, "data"), "--certs", certs, ...args], { cwd: dir, env: { PATH: "/usr/bin:/bin" }, stdout: "pipe" });
    const [stdout, exitCode] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    return { stdout, exitCode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("vaultroom doctor and the certificate", () => {
  test("a certificate expiring within 7 days is a warning that says when", async () => {
    const result = await doctor(async (certs) => writeFileSync(join(certs, "cert.pem"), await certificateValidFor(3.5 * DAY)));
    expect(result.stdout).toMatch(new RegExp(`warning  the self-signed certificate \\(${TEST_DOMAIN}\\) expires in 3 day\\(s\\), on \\d{4}-`));
    expect(result.exitCode).toBe(0);
  });

  test("with --domain it is the ACME certificate that is checked, and the advice points at the log", async () => {
    const result = await doctor(async (certs) => {
      writeFileSync(join(certs, "cert.pem"), await certificateValidFor(300 * DAY)); // the fallback: fine
      writeFileSync(join(certs, "acme", "cert.pem"), await certificateValidFor(2.5 * DAY), { mode: 0o600 });
    }, ["--domain", TEST_DOMAIN]);
    expect(result.stdout).toContain(`warning  the ACME certificate (${TEST_DOMAIN}) expires in 2 day(s)`);
    expect(result.stdout).toContain("look for acme_failed in the server's log");
  });

  test("an expired certificate is a problem, and so is the exit status", async () => {
    const result = await doctor(async (certs) => writeFileSync(join(certs, "cert.pem"), await certificateValidFor(-DAY)));
    expect(result.stdout).toContain(`PROBLEM  the self-signed certificate (${TEST_DOMAIN}) EXPIRED on`);
    expect(result.exitCode).toBe(1);
  });

  test("a certificate with weeks left is simply fine", async () => {
    const result = await doctor(async (certs) => writeFileSync(join(certs, "cert.pem"), await certificateValidFor(30 * DAY)));
    expect(result.stdout).toMatch(/ok {7}the self-signed certificate \(chat\.vaultroom\.test, self-signed\) is valid until/);
    expect(result.stdout).not.toContain("warning");
  });
});
