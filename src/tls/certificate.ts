// Zero-config TLS: use cert.pem/key.pem when present, otherwise make a self-signed ECDSA P-256
// certificate in-process (no openssl at run time) and keep it for the next start.
import "reflect-metadata"; // @peculiar/x509 relies on it being loaded first
import * as x509 from "@peculiar/x509";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";

x509.cryptoProvider.set(crypto);

export interface Certificate {
  cert: string;
  key: string;
  /** SHA-256 over the DER certificate, as colon-separated hex (what browsers show). */
  fingerprint: string;
  generated: boolean;
  selfSigned: boolean;
}

export async function loadOrCreateCertificate(certsDir: string, extraHosts: string[] = []): Promise<Certificate> {
  const certPath = join(certsDir, "cert.pem");
  const keyPath = join(certsDir, "key.pem");
  const haveCert = existsSync(certPath);
  const haveKey = existsSync(keyPath);
  if (haveCert !== haveKey) {
    throw new Error(`${certsDir} has ${haveCert ? "cert.pem but no key.pem" : "key.pem but no cert.pem"}; provide both or neither`);
  }
  if (haveCert) {
    const cert = readFileSync(certPath, "utf8");
    const key = readFileSync(keyPath, "utf8");
    const parsed = parseFirstCertificate(cert, certPath);
    return { cert, key, fingerprint: fingerprintOf(parsed), generated: false, selfSigned: await parsed.isSelfSigned() };
  }
  const made = await generateSelfSigned(defaultNames(extraHosts));
  if (!existsSync(certsDir)) mkdirSync(certsDir, { recursive: true, mode: 0o700 });
  // The key is written 0600 from the start, never world-readable even briefly.
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, made.cert, { mode: 0o644 });
  return { ...made, generated: true, selfSigned: true };
}

export interface SubjectNames {
  dns: string[];
  ips: string[];
}

export function defaultNames(extraHosts: string[] = []): SubjectNames {
  const dns = new Set<string>(["localhost"]);
  const ips = new Set<string>(["127.0.0.1", "::1"]);
  const host = hostname();
  if (host && /^[A-Za-z0-9.-]+$/.test(host)) dns.add(host);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.address.includes("%")) ips.add(address.address);
    }
  }
  for (const extra of extraHosts) {
    if (/^[\d.]+$/.test(extra) || extra.includes(":")) ips.add(extra);
    else if (extra && extra !== "0.0.0.0") dns.add(extra);
  }
  ips.delete("0.0.0.0");
  ips.delete("::");
  return { dns: [...dns], ips: [...ips] };
}

export async function generateSelfSigned(names: SubjectNames): Promise<Omit<Certificate, "generated" | "selfSigned">> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const now = Date.now();
  const serial = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
  serial[0]! &= 0x7f; // a positive serial number
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString("hex"),
    name: `CN=VaultRoom self-signed (${names.dns.find((n) => n !== "localhost") ?? "localhost"})`,
    notBefore: new Date(now - 60_000),
    // 397 days: the longest lifetime browsers accept for a server certificate.
    notAfter: new Date(now + 397 * 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: "dns" as const, value })),
        ...names.ips.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert: certificate.toString("pem") + "\n",
    key: toPem(pkcs8, "PRIVATE KEY"),
    fingerprint: fingerprintOf(certificate),
  };
}

function parseFirstCertificate(pem: string, path: string): x509.X509Certificate {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!first) throw new Error(`${path} holds no PEM certificate`);
  try {
    return new x509.X509Certificate(first[0]);
  } catch {
    throw new Error(`${path} holds a certificate that cannot be parsed`);
  }
}

export function fingerprintOf(certificate: x509.X509Certificate): string {
  const digest = new Bun.CryptoHasher("sha256").update(new Uint8Array(certificate.rawData)).digest("hex");
  return digest.toUpperCase().match(/../g)!.join(":");
}

export function subjectAltNames(pem: string): SubjectNames {
  const certificate = new x509.X509Certificate(pem);
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  const dns: string[] = [];
  const ips: string[] = [];
  for (const name of san?.names.items ?? []) {
    if (name.type === "dns") dns.push(name.value);
    if (name.type === "ip") ips.push(name.value);
  }
  return { dns, ips };
}

function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString("base64").match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}
