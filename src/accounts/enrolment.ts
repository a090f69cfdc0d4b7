// Whether the admin's second-factor policy is waiting on this account (for the session probe, so the
// web client can lead the person to enrol).
import type { Conn } from "../db/store.ts";
import { policyCovers, readFactorPolicy } from "./factor-policy.ts";
import { secondFactors } from "./second-factors.ts";
import type { Actor } from "./sessions.ts";

export async function enrolmentFor(db: Conn, actor: Actor): Promise<{ graceLoginsLeft: number } | null> {
  if (actor.mustEnrolSecondFactor) return { graceLoginsLeft: 0 };
  const policy = await readFactorPolicy(db);
  if (!policyCovers(policy.policy, actor.isAdmin) || (await secondFactors.has(db, actor.userId))) return null;
  return { graceLoginsLeft: Math.max(0, policy.graceLogins - (await secondFactors.graceUsed(db, actor.userId))) };
}
