// Turning two-factor sign-in on and off from one's own account: TOTP enrolment (setup, then a first
// code confirms it), recovery codes, and the overview the dashboard shows. Changes that weaken the
// account (turning TOTP off, new recovery codes) want a fresh re-authentication (reauth.ts), and so
// does turning it on: a stolen cookie must not be able to put the thief's phone on the account.
import { serverProfile } from "./server-profile.ts";
import { command } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { mustEnrol, policyCovers, readFactorPolicy } from "./factor-policy.ts";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes.ts";
import { reauth } from "./reauth.ts";
import { secondFactors } from "./second-factors.ts";
import type { Actor } from "./sessions.ts";
import { describeSecret, matchCode, newTotpSecret } from "./totp.ts";
import type { SecurityOverview } from "./types.ts";
import { usernameKey } from "./usernames.ts";

export const totpPurpose = (userId: number) => `totp:${userId}`;

const alreadyEnabled = () => errors.conflict("totp_already_enabled", "Two-factor sign-in with an authenticator app is already on.");
const notEnabled = () => errors.conflict("totp_not_enabled", "Two-factor sign-in is not on for this account.");
const setupMissing = () => errors.conflict("totp_setup_missing", "Start the set-up again: no authenticator is waiting to be confirmed.");
export const invalidCode = () => errors.badRequest("invalid_code", "That code is not right, or it has already been used.");

const beginCommand = command("totp.begin", async (tx, input: { userId: number; box: Uint8Array; now: number }) => {
  const current = await secondFactors.totp(tx, input.userId);
  if (current?.enabledAt) throw alreadyEnabled();
  await secondFactors.beginTotp(tx, input.userId, input.box, input.now);
});

/** A new secret waiting for its first code; returns what the authenticator app needs. */
export async function beginTotp(accounts: Accounts, actor: Actor): Promise<{ secret: string; uri: string }> {
  if ((await secondFactors.totp(accounts.store.read, actor.userId))?.enabledAt) throw alreadyEnabled();
  const secret = newTotpSecret();
  await accounts.store.write(beginCommand, { userId: actor.userId, box: accounts.secretBox.seal(secret, totpPurpose(actor.userId)), now: Date.now() });
  return describeSecret(secret, actor.username, await serverProfile.name(accounts.store.read));
}

const enableCommand = command(
  "totp.enable",
  async (tx, input: { userId: number; username: string; step: number; hashes: Uint8Array[]; ip: string; now: number }) => {
    if (!(await secondFactors.enableTotp(tx, input.userId, input.step, input.now))) throw alreadyEnabled();
    await secondFactors.replaceRecoveryCodes(tx, input.userId, input.hashes, input.now);
    await secondFactors.resetGrace(tx, input.userId);
    // Open sockets of a session that was held for enrolment may now be let in on the next check.
    tx.announce({ kind: "user.changed", userId: input.userId });
    await appendAudit(tx, "totp_enabled", { actorId: input.userId, target: input.username, ip: input.ip });
  },
);

/** Confirms the pending secret with a first code; turns TOTP on and returns ten new recovery codes (shown once). */
export async function enableTotp(accounts: Accounts, actor: Actor, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  await accounts.limits.take("login", meta.ip, usernameKey(actor.username), accounts.audit, actor.username);
  const row = await secondFactors.totp(accounts.store.read, actor.userId);
  if (row?.enabledAt) throw alreadyEnabled();
  const secret = row ? accounts.secretBox.open(row.secretBox, totpPurpose(actor.userId)) : null;
  if (!secret) throw setupMissing();
  const step = matchCode(secret, code, 0, accounts.clock.now());
  if (step === null) throw invalidCode();
  const recoveryCodes = newRecoveryCodes();
  await accounts.store.write(enableCommand, {
    userId: actor.userId,
    username: actor.username,
    step,
    hashes: recoveryCodes.map(hashRecoveryCode),
    ip: meta.ip,
    now: Date.now(),
  });
  return { recoveryCodes };
}

const disableCommand = command("totp.disable", async (tx, input: { userId: number; username: string; ip: string }) => {
  if (!(await secondFactors.totp(tx, input.userId))?.enabledAt) throw notEnabled();
  await secondFactors.removeTotp(tx, input.userId);
  // Recovery codes stand in for a second factor: without any left, they go too.
  if ((await secondFactors.summary(tx, input.userId)).passkeys === 0) await secondFactors.clearRecoveryCodes(tx, input.userId);
  await appendAudit(tx, "totp_disabled", { actorId: input.userId, target: input.username, ip: input.ip });
});

export async function disableTotp(accounts: Accounts, actor: Actor, meta: RequestMeta): Promise<void> {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  await accounts.store.write(disableCommand, { userId: actor.userId, username: actor.username, ip: meta.ip });
}

const regenerateCommand = command(
  "recoveryCodes.regenerate",
  async (tx, input: { userId: number; username: string; hashes: Uint8Array[]; ip: string; now: number }) => {
    const summary = await secondFactors.summary(tx, input.userId);
    if (summary.totp === 0 && summary.passkeys === 0) throw notEnabled();
    await secondFactors.replaceRecoveryCodes(tx, input.userId, input.hashes, input.now);
    await appendAudit(tx, "recovery_codes_regenerated", { actorId: input.userId, target: input.username, ip: input.ip });
  },
);

/** A new set of ten recovery codes; the old set stops working in the same commit. */
export async function regenerateRecoveryCodes(accounts: Accounts, actor: Actor, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  const recoveryCodes = newRecoveryCodes();
  await accounts.store.write(regenerateCommand, {
    userId: actor.userId,
    username: actor.username,
    hashes: recoveryCodes.map(hashRecoveryCode),
    ip: meta.ip,
    now: Date.now(),
  });
  return { recoveryCodes };
}

/** What the dashboard shows about the account's sign-in. */
export async function securityOverview(accounts: Accounts, actor: Actor): Promise<SecurityOverview> {
  const db = accounts.store.read;
  const [totp, summary, passkeys, reauthUntil, policy, graceUsed] = await Promise.all([
    secondFactors.totp(db, actor.userId),
    secondFactors.summary(db, actor.userId),
    secondFactors.passkeys(db, actor.userId),
    reauth.until(db, actor.sessionId),
    readFactorPolicy(db),
    secondFactors.graceUsed(db, actor.userId),
  ]);
  const hasSecondFactor = summary.totp > 0 || summary.passkeys > 0;
  const covered = policyCovers(policy.policy, actor.isAdmin);
  return {
    totp: { enabled: Boolean(totp?.enabledAt), enabledAt: totp?.enabledAt ?? null },
    passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
    recoveryCodesLeft: summary.recoveryLeft,
    reauthUntil: reauthUntil > Date.now() ? reauthUntil : null,
    policy: {
      required: covered,
      graceLoginsLeft: covered && !hasSecondFactor ? Math.max(0, policy.graceLogins - graceUsed) : null,
      mustEnrol: mustEnrol(policy, { isAdmin: actor.isAdmin, hasSecondFactor, graceUsed }),
    },
  };
}
