// Rate limits for logging in and registering, per client IP and per username. Every attempt takes a
// token, a correct password included, so guessing cannot outrun the bucket by mixing in a known one.
// Per-username buckets are kept modest so an attacker who empties one only delays the real user.
// The buckets are shared by every node of a cluster (limits/shared-limiter.ts).
import { errors } from "../errors.ts";
import type { SharedLimiter } from "../limits/shared-limiter.ts";
import type { BucketOptions } from "../limits/token-bucket.ts";
import type { AuditLog } from "./audit.ts";

export interface AuthLimitOptions {
  loginPerIp: BucketOptions;
  loginPerUser: BucketOptions;
  registerPerIp: BucketOptions;
  registerPerUsername: BucketOptions;
}

export const DEFAULT_AUTH_LIMITS: AuthLimitOptions = {
  // 20 at once, then 10 a minute from one address.
  loginPerIp: { capacity: 20, refillPerSecond: 1 / 6 },
  // 10 at once, then 2 a minute against one account, from anywhere.
  loginPerUser: { capacity: 10, refillPerSecond: 1 / 30 },
  // 10 accounts at once, then 2 a minute from one address (an office behind one NAT still gets in).
  registerPerIp: { capacity: 10, refillPerSecond: 1 / 30 },
  registerPerUsername: { capacity: 5, refillPerSecond: 1 / 60 },
};

export type LimitedAction = "login" | "register";

/**
 * The rate-limit key for an address. One IPv6 host usually holds a whole /64, so IPv6 addresses are
 * limited per /64; IPv4 addresses per address.
 */
export function ipKey(ip: string): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.split("::", 2);
  const left = head ? head.split(":") : [];
  const right = ip.includes("::") && tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":") + "::/64";
}

export function createAuthLimits(limiter: SharedLimiter, options: AuthLimitOptions = DEFAULT_AUTH_LIMITS) {
  const buckets = {
    login: { ip: options.loginPerIp, user: options.loginPerUser },
    register: { ip: options.registerPerIp, user: options.registerPerUsername },
  };
  return {
    /**
     * Takes one token for the address and one for the username; throws 429 with Retry-After when
     * either is empty. The first refusal of a streak is audited (a lockout), later ones are not.
     * `auditTarget` is what the audit row names (null: nothing, e.g. for a name no account has).
     */
    async take(action: LimitedAction, ip: string, usernameKey: string, audit: AuditLog, auditTarget: string | null = usernameKey): Promise<void> {
      const byIp = await limiter.take(`${action}.ip`, buckets[action].ip, ipKey(ip));
      if (!byIp.allowed) {
        if (byIp.firstRefusal) await audit.record("rate_limited", { ip, detail: { action, scope: "ip" } });
        throw errors.rateLimited(byIp.retryAfterSeconds);
      }
      const byUser = await limiter.take(`${action}.user`, buckets[action].user, usernameKey);
      if (!byUser.allowed) {
        if (byUser.firstRefusal) {
          await audit.record(action === "login" ? "login_locked_out" : "rate_limited", {
            target: auditTarget,
            ip,
            detail: { action, scope: "username", retryAfterSeconds: byUser.retryAfterSeconds },
          });
        }
        throw errors.rateLimited(byUser.retryAfterSeconds);
      }
    },
  };
}

export type AuthLimits = ReturnType<typeof createAuthLimits>;
