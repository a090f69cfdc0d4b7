// CSRF and cross-site WebSocket hijacking guard, after Hono's: a state-changing request or a socket
// upgrade must come from our own origin. Browsers always send Origin on those; Sec-Fetch-Site is the
// fallback. The Host header a browser sends is the one the user typed, so Origin must match it.
import { ipKey } from "../accounts/auth-limits.ts";
import { KeyedLimiter, TokenBucket, type BucketOptions } from "../limits/token-bucket.ts";

export function isSameOrigin(request: Request, extraOrigins: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return isOwnOrigin(request, origin, extraOrigins);
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** For socket upgrades an Origin is required: non-browser clients can send one too. */
export function isAllowedSocketOrigin(request: Request, extraOrigins: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && isOwnOrigin(request, origin, extraOrigins);
}

function isOwnOrigin(request: Request, origin: string, extraOrigins: readonly string[]): boolean {
  if (origin === "null") return false;
  if (extraOrigins.includes(origin)) return true;
  const host = request.headers.get("host") ?? new URL(request.url).host;
  return origin === `https://${host}`;
}

export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Decides which refused cross-origin requests are written to the audit log. Every one is refused;
 * only a trickle per address (and in total) is recorded, so an unauthenticated flood cannot cost a
 * disk sync per request or push the older audit trail (login failures...) out of the pruned table.
 */
export function createOriginAuditSampler(
  perAddress: BucketOptions = { capacity: 20, refillPerSecond: 1 / 60 },
  total: BucketOptions = { capacity: 200, refillPerSecond: 1 / 10 },
) {
  const byAddress = new KeyedLimiter({ ...perAddress, maxKeys: 10_000 });
  const overall = new TokenBucket(total);
  return (ip: string, now = Date.now()): boolean => byAddress.take(ipKey(ip), now).allowed && overall.take(now) === 0;
}
