// The ACME part of the configuration (--domain and the --acme-* flags): which names, which CA, how.
import { resolve } from "node:path";
import { ConfigError } from "./values.ts";

export type AcmeChallenge = "tls-alpn-01" | "http-01";

export interface AcmeConfig {
  /** Lower-case DNS names, validated; the first is the certificate's main name. */
  domains: string[];
  email: string | null;
  directoryUrl: string;
  /** PEM bundle trusted for the ACME server's own HTTPS (tests, private CAs); null trusts the usual roots. */
  caFile: string | null;
  /** null: chosen from the ports (see src/acme/challenge-choice.ts). */
  challenge: AcmeChallenge | null;
  /** Wait after a first failed attempt; it doubles after each further failure, up to an hour. */
  retrySeconds: number;
}

export const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
export const LETS_ENCRYPT_STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

const ACME_FLAGS = ["acme-email", "acme-directory", "acme-ca-file", "acme-challenge", "acme-retry"];

export function parseAcme(value: (name: string) => string | undefined): AcmeConfig | null {
  const raw = value("domain");
  if (raw === undefined) {
    const stray = ACME_FLAGS.find((name) => value(name) !== undefined);
    if (stray) throw new ConfigError(`--${stray} needs --domain`);
    return null;
  }
  const challenge = value("acme-challenge");
  if (challenge !== undefined && challenge !== "tls-alpn-01" && challenge !== "http-01") {
    throw new ConfigError(`--acme-challenge must be tls-alpn-01 or http-01, got "${challenge}"`);
  }
  const retry = value("acme-retry") ?? "600";
  if (!/^\d{1,5}$/.test(retry) || Number(retry) < 1) throw new ConfigError(`--acme-retry must be a whole number of seconds from 1 to 99999, got "${retry}"`);
  const caFile = value("acme-ca-file");
  return {
    domains: parseDomains(raw),
    email: parseEmail(value("acme-email")),
    directoryUrl: parseDirectory(value("acme-directory")),
    caFile: caFile === undefined ? null : resolve(caFile),
    challenge: challenge ?? null,
    retrySeconds: Number(retry),
  };
}

/**
 * Names a public CA can validate by HTTP-01 or TLS-ALPN-01: at least two labels of letters, digits and
 * hyphens (internationalised names in their xn-- form), no wildcard (that needs DNS-01), no address.
 */
export function parseDomains(raw: string): string[] {
  const names = raw.split(",").map((name) => name.trim().toLowerCase().replace(/\.$/, ""));
  for (const name of names) {
    const labels = name.split(".");
    const valid =
      name.length <= 253 &&
      labels.length >= 2 &&
      labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label)) &&
      !/^\d+$/.test(labels.at(-1)!);
    if (!valid) {
      throw new ConfigError(`--domain must be a list of DNS names like chat.example.org (no wildcards, no addresses), got "${name}"`);
    }
  }
  const unique = [...new Set(names)];
  if (unique.length > 100) throw new ConfigError(`--domain accepts at most 100 names, got ${unique.length}`);
  return unique;
}

function parseEmail(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.length > 254 || !/^[^\s@<>(),;:"]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(raw)) {
    throw new ConfigError(`--acme-email must be an e-mail address like admin@example.org, got "${raw}"`);
  }
  return raw;
}

function parseDirectory(raw: string | undefined): string {
  if (raw === undefined || raw === "production") return LETS_ENCRYPT;
  if (raw === "staging") return LETS_ENCRYPT_STAGING;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--acme-directory must be an https:// URL or "staging", got "${raw}"`);
  }
  // RFC 8555 section 6.1: ACME runs over HTTPS only.
  if (url.protocol !== "https:") throw new ConfigError(`--acme-directory must use https://, got "${raw}"`);
  return url.href;
}
