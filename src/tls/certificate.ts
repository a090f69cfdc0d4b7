// Zero-config TLS: use cert.pem/key.pem when present, otherwise make a self-signed ECDSA P-256
// certificate in-process (no openssl at run time) and keep it for the next start.
//
// Reading a certificate uses the runtime's own X509Certificate (node:crypto, native): ~2 ms, where
// @peculiar/x509 (pure JavaScript ASN.1) took ~90 ms of every start to parse it twice. That library
// is loaded only to make a certificate (the first start, tests).
import type * as X509 from "@peculiar/x509";
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";

let generator: Promise<typeof X509> | null = null;
const loadGenerator = () =>
  (generator ??= (async () => {
    await import("reflect-metadata"); // @peculiar/x509 relies on it being loaded first
    const x509 = await import("@peculiar/x509");
    x509.cryptoProvider.set(crypto);
    return x509;
  })());

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
    return { cert, key, fingerprint: parsed.fingerprint256, generated: false, selfSigned: isSelfSigned(parsed) };
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
  const x509 = await loadGenerator();
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
    fingerprint: new X509Certificate(certificate.toString("pem")).fingerprint256,
  };
}

/** The first certificate of a PEM file or chain; a clear error naming the file otherwise. */
export function parseFirstCertificate(pem: string, path: string): X509Certificate {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!first) throw new Error(`${path} holds no PEM certificate`);
  try {
    return new X509Certificate(first[0]);
  } catch {
    throw new Error(`${path} holds a certificate that cannot be parsed`);
  }
}

/** Issued by itself: its issuer is its subject, and its own key verifies its signature. */
export const isSelfSigned = (certificate: X509Certificate): boolean =>
  certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey);

/**
 * The subject alternative names, in their order. The runtime writes them as one string
 * ("DNS:a, IP Address:b"; IPv6 in full, upper case): IPv6 addresses are written the usual way back.
 */
export function altNamesOf(certificate: X509Certificate): { type: "dns" | "ip"; value: string }[] {
  const names: { type: "dns" | "ip"; value: string }[] = [];
  for (const part of (certificate.subjectAltName ?? "").split(", ")) {
    if (part.startsWith("DNS:")) names.push({ type: "dns", value: part.slice(4) });
    else if (part.startsWith("IP Address:")) {
      const ip = part.slice("IP Address:".length);
      names.push({ type: "ip", value: ip.includes(":") ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip });
    }
  }
  return names;
}

export function subjectAltNames(pem: string): SubjectNames {
  const names = altNamesOf(new X509Certificate(pem));
  return { dns: names.filter((n) => n.type === "dns").map((n) => n.value), ips: names.filter((n) => n.type === "ip").map((n) => n.value) };
}

function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString("base64").match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}
