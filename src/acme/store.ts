// Where ACME state lives: <certs>/acme/ (0700) holds the account key, the certificate chain, its key and
// a note of which directory issued it for which names; every file 0600, written to a temporary name and
// renamed, so a crash leaves either the old file or the new one. The certificate is reused at start-up
// when it is for the same names from the same directory and its key matches; otherwise ACME runs.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AcmeConfig } from "../config.ts";
import type { TlsPair } from "../tls/https-backends.ts";
import { parseCertificate, type ParsedCertificate } from "../tls/certificate-status.ts";

export const acmeDir = (certsDir: string) => join(certsDir, "acme");
export const ACCOUNT_KEY = "account-key.pem";
export const CERT = "cert.pem";
export const KEY = "key.pem";
const META = "meta.json";
const ACCOUNTS = "accounts.json";

interface Meta {
  directoryUrl: string;
  domains: string[];
  issuedAt: string;
}

export interface StoredCertificate {
  pair: TlsPair;
  parsed: ParsedCertificate;
}

export function readAccountKey(certsDir: string): string | null {
  const path = join(acmeDir(certsDir), ACCOUNT_KEY);
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}

export function writeAccountKey(certsDir: string, pem: string): void {
  writePrivate(certsDir, ACCOUNT_KEY, pem);
}

/** The account's URL at this directory, once known: with it, renewals skip account lookup entirely. */
export function readAccountUrl(certsDir: string, directoryUrl: string): string | null {
  return readAccounts(certsDir)[directoryUrl] ?? null;
}

export function writeAccountUrl(certsDir: string, directoryUrl: string, accountUrl: string): void {
  writePrivate(certsDir, ACCOUNTS, JSON.stringify({ ...readAccounts(certsDir), [directoryUrl]: accountUrl }, null, 2) + "\n");
}

/** After the CA said it does not know the account (reset, or a test CA restarted): look it up again. */
export function forgetAccountUrl(certsDir: string, directoryUrl: string): void {
  const accounts = readAccounts(certsDir);
  delete accounts[directoryUrl];
  writePrivate(certsDir, ACCOUNTS, JSON.stringify(accounts, null, 2) + "\n");
}

function readAccounts(certsDir: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(acmeDir(certsDir), ACCOUNTS), "utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** The stored certificate if it fits this configuration, else null and why not (for the log). */
export async function readCertificate(certsDir: string, acme: AcmeConfig): Promise<StoredCertificate | { unusable: string }> {
  const dir = acmeDir(certsDir);
  if (!existsSync(join(dir, CERT)) || !existsSync(join(dir, KEY)) || !existsSync(join(dir, META))) {
    return { unusable: "no certificate from ACME yet" };
  }
  try {
    const meta = JSON.parse(readFileSync(join(dir, META), "utf8")) as Partial<Meta>;
    if (meta.directoryUrl !== acme.directoryUrl) return { unusable: `it was issued by another ACME directory (${String(meta.directoryUrl)})` };
    if (!sameNames(meta.domains ?? [], acme.domains)) return { unusable: `it is for other names (${(meta.domains ?? []).join(", ")})` };
    const pair = { cert: readFileSync(join(dir, CERT), "utf8"), key: readFileSync(join(dir, KEY), "utf8") };
    if (!new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))) {
      return { unusable: "its key does not match it (interrupted write?)" };
    }
    return { pair, parsed: await parseCertificate(pair.cert) };
  } catch (error) {
    return { unusable: `it cannot be read (${(error as Error).message})` };
  }
}

export function writeCertificate(certsDir: string, acme: AcmeConfig, pair: TlsPair, now = new Date()): void {
  // Key first, meta last: until meta names the new pair, readCertificate's key check catches a mix.
  writePrivate(certsDir, KEY, pair.key);
  writePrivate(certsDir, CERT, pair.cert);
  const meta: Meta = { directoryUrl: acme.directoryUrl, domains: acme.domains, issuedAt: now.toISOString() };
  writePrivate(certsDir, META, JSON.stringify(meta, null, 2) + "\n");
}

function writePrivate(certsDir: string, name: string, data: string): void {
  const dir = acmeDir(certsDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = join(dir, name);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data, { mode: 0o600 });
  chmodSync(temporary, 0o600); // whatever the umask
  renameSync(temporary, path);
}

function sameNames(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(",") === [...b].sort().join(",");
}
