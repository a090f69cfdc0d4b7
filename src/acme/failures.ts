// What a failed ACME attempt tells the operator and the schedule: the CA's words on one line, how long
// a rate limit asks us to wait, and a loud error when the served certificate is close to expiry.
import type { Logger } from "../log.ts";
import { expiresSoon, type LiveCertificate } from "../tls/certificate-status.ts";
import { MAX_RETRY_MS } from "./schedule.ts";

export function plainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").trim().slice(0, 500) || "unknown error";
}

/** Let's Encrypt says "too many ..., retry after <time>" when rate limited: never sooner than that, nor than an hour. */
export function rateLimitWait(detail: string): number {
  if (!/rate.?limit|too many/i.test(detail)) return 0;
  const after = /retry after ([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:]+(?:\.\d+)?(?: ?UTC|Z)?)/i.exec(detail);
  const at = after ? Date.parse(after[1]!.replace(" UTC", "Z").replace(" ", "T")) : NaN;
  return Math.max(MAX_RETRY_MS, Number.isFinite(at) ? at - Date.now() : 0);
}

export function warnIfExpiring(logger: Logger, live: LiveCertificate, detail: string): void {
  const status = live.status();
  if (!expiresSoon(new Date(status.notAfter))) return;
  const hours = Math.max(0, Math.round((Date.parse(status.notAfter) - Date.now()) / 3600_000));
  logger.error("certificate_expiring", {
    message:
      `THE CERTIFICATE ${status.expired ? "HAS EXPIRED" : `EXPIRES IN ${hours} HOUR(S)`} (${status.notAfter}) AND COULD NOT BE RENEWED: ${detail}. ` +
      "Browsers will refuse the server once it expires. Check DNS, ports 80/443 and the log above.",
    notAfter: status.notAfter,
    source: status.source,
  });
}
