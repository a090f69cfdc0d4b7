// The certificate the server would serve: the ACME one (--domain) when there is one, else cert.pem.
// Within 7 days of expiry is a warning (renewal should have happened long before; the log says why
// not); past expiry, browsers refuse the server: a problem.
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AcmeConfig } from "../config.ts";
import { acmeDir, CERT } from "../acme/store.ts";
import { EXPIRY_WARNING_MS } from "../tls/certificate-status.ts";
import type { Findings } from "./doctor.ts";

const DAY_MS = 24 * 3600_000;

export function checkCertificate(certsDir: string, acme: AcmeConfig | null, findings: Findings, now = Date.now()): void {
  const acmePath = join(acmeDir(certsDir), CERT);
  const ownPath = join(certsDir, "cert.pem");
  const path = acme && existsSync(acmePath) ? acmePath : ownPath;
  if (!existsSync(path)) {
    findings.ok(`no certificate in ${certsDir} yet: the server makes one when it starts${acme ? " and asks the ACME server for another" : ""}`);
    return;
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(path));
  } catch (error) {
    findings.problem(`${path} cannot be read as a certificate (${(error as Error).message}): replace it, or delete it and its key to get a new one`);
    return;
  }
  const names = (certificate.subjectAltName ?? certificate.subject).replace(/DNS:|IP Address:/g, "");
  const notAfter = new Date(certificate.validTo);
  const selfSigned = certificate.checkIssued(certificate);
  const kind = path === acmePath ? "the ACME certificate" : selfSigned ? "the self-signed certificate" : "the certificate";
  const advice =
    path === acmePath
      ? "VaultRoom renews it at two thirds of its lifetime; it has not managed to: look for acme_failed in the server's log (DNS, ports 80/443, rate limits)"
      : acme
        ? "no certificate has come from the ACME server yet: look for acme_failed in the server's log"
        : `replace ${ownPath} and its key, or use --domain to have VaultRoom get and renew one`;
  const left = notAfter.getTime() - now;
  if (left <= 0) {
    findings.problem(`${kind} (${names}) EXPIRED on ${notAfter.toISOString()}: browsers refuse the server. ${capitalize(advice)}`);
  } else if (left < EXPIRY_WARNING_MS) {
    const days = Math.floor(left / DAY_MS);
    const within = days === 0 ? `${Math.max(1, Math.round(left / 3600_000))} hour(s)` : `${days} day(s)`;
    findings.warning(`${kind} (${names}) expires in ${within}, on ${notAfter.toISOString()}. ${capitalize(advice)}`);
  } else {
    const issuer = selfSigned ? "self-signed" : `issued by ${certificate.issuer.replace(/\n/g, ", ")}`;
    findings.ok(`${kind} (${names}, ${issuer}) is valid until ${notAfter.toISOString()}`);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
