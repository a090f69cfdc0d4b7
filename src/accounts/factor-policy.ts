// The admin's second-factor policy: nobody is required to have one ("off", the default), admins are,
// or everyone is. An account the policy covers that has no second factor may still log in N more
// times (the grace, counted in account_security.grace_logins); after that its sessions can only enrol
// (TOTP or a passkey) until it has one. Kept in the settings table, read with every session check, so
// a change applies on every node at once.
import { command } from "../db/store.ts";
import type { Conn } from "../db/store.ts";
import { appendAudit } from "./audit.ts";
import { settings } from "./settings.ts";

export type FactorPolicy = "off" | "admins" | "everyone";
export const FACTOR_POLICIES: readonly FactorPolicy[] = ["off", "admins", "everyone"];
export const POLICY_KEY = "second_factor_policy";
export const GRACE_KEY = "second_factor_grace";
export const DEFAULT_GRACE_LOGINS = 3;
export const MAX_GRACE_LOGINS = 100;

export interface FactorPolicySettings {
  policy: FactorPolicy;
  /** Logins an account the policy covers may still make without a second factor. */
  graceLogins: number;
}

export function parsePolicy(policy: string | null, grace: string | null): FactorPolicySettings {
  const known = FACTOR_POLICIES.includes(policy as FactorPolicy) ? (policy as FactorPolicy) : "off";
  const n = grace === null ? Number.NaN : Number(grace);
  return { policy: known, graceLogins: Number.isInteger(n) && n >= 0 && n <= MAX_GRACE_LOGINS ? n : DEFAULT_GRACE_LOGINS };
}

export const policyCovers = (policy: FactorPolicy, isAdmin: boolean) => policy === "everyone" || (policy === "admins" && isAdmin);

/**
 * Whether an account must enrol before doing anything else: covered by the policy, without a second
 * factor, and past its grace logins.
 */
export function mustEnrol(settings: FactorPolicySettings, user: { isAdmin: boolean; hasSecondFactor: boolean; graceUsed: number }): boolean {
  return policyCovers(settings.policy, user.isAdmin) && !user.hasSecondFactor && user.graceUsed > settings.graceLogins;
}

export async function readFactorPolicy(db: Conn): Promise<FactorPolicySettings> {
  return parsePolicy(await settings.get(db, POLICY_KEY), await settings.get(db, GRACE_KEY));
}

export const setFactorPolicy = command(
  "admin.setFactorPolicy",
  async (tx, input: { actorId: number; ip: string; next: FactorPolicySettings }): Promise<FactorPolicySettings> => {
    const before = await readFactorPolicy(tx);
    await settings.set(tx, POLICY_KEY, input.next.policy);
    await settings.set(tx, GRACE_KEY, String(input.next.graceLogins));
    if (before.policy !== input.next.policy || before.graceLogins !== input.next.graceLogins) {
      await appendAudit(tx, "second_factor_policy_changed", {
        actorId: input.actorId,
        target: input.next.policy,
        ip: input.ip,
        detail: { from: before.policy, to: input.next.policy, graceLogins: input.next.graceLogins },
      });
    }
    return input.next;
  },
);
