import { describe, expect, test } from "bun:test";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { X509Certificate, createHash } from "node:crypto";
import { generateSelfSigned, loadOrCreateCertificate, subjectAltNames } from "../../src/tls/certificate.ts";
import { parseCertificate } from "../../src/tls/certificate-status.ts";
import { tempDir } from "../support/app.ts";

describe("zero-config TLS", () => {
  test("a missing certificate is generated as ECDSA P-256 with the local names, key mode 0600", async () => {
    const dir = join(tempDir(), "certs");
    const made = await loadOrCreateCertificate(dir, ["vault.example.org"]);
    expect(made.generated).toBe(true);
    expect(made.selfSigned).toBe(true);
    expect(statSync(join(dir, "key.pem")).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(readFileSync(join(dir, "cert.pem")));
    expect(cert.publicKey.asymmetricKeyType).toBe("ec");
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    const names = subjectAltNames(made.cert);
    expect(names.dns).toContain("localhost");
    expect(names.dns).toContain("vault.example.org");
    expect(names.ips).toContain("127.0.0.1");
    expect(names.ips.some((ip) => ip === "::1" || ip === "0:0:0:0:0:0:0:1")).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86400_000);
  });

  test("the fingerprint is the SHA-256 of the DER certificate, as browsers show it", async () => {
    const made = await loadOrCreateCertificate(join(tempDir(), "certs"));
    const der = new X509Certificate(made.cert).raw;
    const expected = createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g)!.join(":");
    expect(made.fingerprint).toBe(expected);
    expect(new X509Certificate(made.cert).fingerprint256).toBe(expected);
  });

  test("an existing certificate is used as is on the next start", async () => {
    const dir = join(tempDir(), "certs");
    const first = await loadOrCreateCertificate(dir);
    const second = await loadOrCreateCertificate(dir);
    expect(second.generated).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.cert).toBe(first.cert);
  });

  test("an existing certificate is read for what it says: names in order, IPv6 written short, validity, fingerprint, self-signed", async () => {
    const own = await generateSelfSigned({ dns: ["chat.example.org", "localhost"], ips: ["192.0.2.7", "2001:db8::1"] });
    const parsed = await parseCertificate(own.cert);
    expect(parsed.names).toEqual(["chat.example.org", "localhost", "192.0.2.7", "2001:db8::1"]);
    expect(parsed.subject).toBe("CN=VaultRoom self-signed (chat.example.org)");
    expect(parsed.issuer).toBe(parsed.subject);
    expect(parsed.selfSigned).toBe(true);
    expect(parsed.fingerprint).toBe(own.fingerprint);
    expect(parsed.notAfter.getTime() - parsed.notBefore.getTime()).toBe(397 * 24 * 3600_000 + 60_000);
    // A chain: the first certificate is the server's own.
    const other = await generateSelfSigned({ dns: ["other.example"], ips: [] });
    expect((await parseCertificate(other.cert + own.cert)).names).toEqual(["other.example"]);
  });

  test("a cert.pem that holds no certificate, or one that cannot be parsed, stops the start clearly", async () => {
    const dir = join(tempDir(), "certs");
    await loadOrCreateCertificate(dir);
    writeFileSync(join(dir, "cert.pem"), "not a certificate\n");
    await expect(loadOrCreateCertificate(dir)).rejects.toThrow(/cert.pem holds no PEM certificate/);
    writeFileSync(join(dir, "cert.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    await expect(loadOrCreateCertificate(dir)).rejects.toThrow(/cert.pem holds a certificate that cannot be parsed/);
  });

  test("a certificate without its key is refused clearly", async () => {
    const dir = join(tempDir(), "certs");
    await loadOrCreateCertificate(dir);
    rmSync(join(dir, "key.pem"));
    await expect(loadOrCreateCertificate(dir)).rejects.toThrow(/cert.pem but no key.pem/);
  });
});
