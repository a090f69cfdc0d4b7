// What the served certificate is, for the admin dashboard, `vaultroom doctor`, HSTS and (later) metrics.
// LiveCertificate follows the certificate the server is serving right now, which ACME may replace.
import { X509Certificate } from "node:crypto";
import { altNamesOf, isSelfSigned } from "./certificate.ts";

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
  const certificate = new X509Certificate(first[0]);
  return {
    // One line, the relative names joined by ", " (the runtime puts each on a line of its own).
    subject: certificate.subject.split("\n").join(", "),
    issuer: certificate.issuer.split("\n").join(", "),
    names: altNamesOf(certificate).map((name) => name.value),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    fingerprint: certificate.fingerprint256,
    selfSigned: isSelfSigned(certificate),
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
