// What the served certificate is, for the admin dashboard, `vaultroom doctor`, HSTS and (later) metrics.
// LiveCertificate follows the certificate the server is serving right now, which ACME may replace.
import "reflect-metadata"; // @peculiar/x509 relies on it being loaded first
import * as x509 from "@peculiar/x509";
import { fingerprintOf } from "./certificate.ts";

/** Closer to expiry than this is worth a loud warning (log, doctor, dashboard). */
export const EXPIRY_WARNING_MS = 7 * 24 * 3600_000;

export type CertificateSource = "self-signed" | "own" | "acme";

/** ACME's side of things, when --domain is set. */
export interface AcmeStatus {
  domains: string[];
  challenge: string;
  /** "valid": nothing to do until renewAt; "pending": an attempt is under way; "failing": the last one failed. */
  state: "valid" | "pending" | "failing";
  lastError: string | null;
  /** ISO times. */
  renewAt: string | null;
  nextAttemptAt: string | null;
}

export interface CertificateStatus {
  source: CertificateSource;
  selfSigned: boolean;
  subject: string;
  issuer: string;
  names: string[];
  notBefore: string;
  notAfter: string;
  fingerprint: string;
  /** Less than EXPIRY_WARNING_MS left (or already expired). */
  expiresSoon: boolean;
  expired: boolean;
  acme: AcmeStatus | null;
}

export interface ParsedCertificate {
  subject: string;
  issuer: string;
  names: string[];
  notBefore: Date;
  notAfter: Date;
  fingerprint: string;
  selfSigned: boolean;
}

/** The first certificate of a PEM chain (the server's own). */
export async function parseCertificate(pem: string): Promise<ParsedCertificate> {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!first) throw new Error("no PEM certificate found");
  const certificate = new x509.X509Certificate(first[0]);
  const san = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    names: (san?.names.items ?? []).map((name) => name.value),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    fingerprint: fingerprintOf(certificate),
    selfSigned: await certificate.isSelfSigned(),
  };
}

export function expiresSoon(notAfter: Date, now = Date.now()): boolean {
  return notAfter.getTime() - now < EXPIRY_WARNING_MS;
}

export class LiveCertificate {
  private acme: AcmeStatus | null = null;

  constructor(private parsed: ParsedCertificate, private source: CertificateSource) {}

  /** The server now serves this certificate to new connections. */
  replace(parsed: ParsedCertificate, source: CertificateSource): void {
    this.parsed = parsed;
    this.source = source;
  }

  setAcme(status: AcmeStatus | null): void {
    this.acme = status;
  }

  get selfSigned(): boolean {
    return this.parsed.selfSigned;
  }

  /** Seconds until the served certificate expires (negative once expired): for a metrics gauge. */
  expirySeconds(now = Date.now()): number {
    return Math.floor((this.parsed.notAfter.getTime() - now) / 1000);
  }

  status(now = Date.now()): CertificateStatus {
    const { notBefore, notAfter, ...rest } = this.parsed;
    return {
      ...rest,
      source: this.source,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      expiresSoon: expiresSoon(notAfter, now),
      expired: notAfter.getTime() <= now,
      acme: this.acme,
    };
  }
}
