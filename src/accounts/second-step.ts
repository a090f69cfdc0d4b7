// The login's second step. After a correct password (login.ts: one argon2id hash, the same answer and
// work for an unknown user and a wrong password as before), an account with a second factor gets a
// half-session (half-sessions.ts) instead of a session; then one of its factors finishes the login:
// a TOTP code (used once), a recovery code (used once) or a passkey (passkeys.ts). No second password
// hash is spent. Second-factor tries share the login's per-address and per-account buckets, and the
// fifth wrong one ends the half-session.
import { command } from "../db/store.ts";
import { AppError } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { policyCovers, readFactorPolicy } from "./factor-policy.ts";
import { halfSessions, type HalfSession } from "./half-sessions.ts";
import { openSession, startSession } from "./login.ts";
import { hashRecoveryCode, isRecoveryCodeShape } from "./recovery-codes.ts";
import { secondFactors } from "./second-factors.ts";
import { matchCode } from "./totp.ts";
import { totpPurpose } from "./two-factor.ts";
import type { SecondFactorMethod, User } from "./types.ts";
import { usernameKey } from "./usernames.ts";
import { users } from "./users.ts";

export const halfSessionExpired = () =>
  new AppError(401, "second_factor_expired", "This sign-in has expired or had too many wrong codes. Log in again with your password.");
export const wrongCode = () => new AppError(401, "invalid_code", "That code is not right, or it has already been used.");

export type SignIn =
  | { kind: "session"; claims: { sid: string; sec: string } }
  | { kind: "second_factor"; token: string; methods: SecondFactorMethod[] };

const startHalfSession = command(
  "login.halfSession",
  async (tx, input: { userId: number; meta: RequestMeta; replacing: string | null; now: number }) =>
    halfSessions.create(tx, input.userId, input.meta, input.replacing, input.now),
);

/** What a correct password leads to: a session, or (with a second factor) a half-session. */
export async function beginSignIn(accounts: Accounts, user: User, meta: RequestMeta, replacing: string | null): Promise<SignIn> {
  const db = accounts.store.read;
  const summary = await secondFactors.summary(db, user.id);
  if (summary.totp > 0 || summary.passkeys > 0) {
    const methods: SecondFactorMethod[] = [];
    if (summary.totp > 0) methods.push("totp");
    if (summary.passkeys > 0) methods.push("passkey");
    if (summary.recoveryLeft > 0) methods.push("recovery");
    const token = await accounts.store.write(startHalfSession, { userId: user.id, meta, replacing, now: Date.now() });
    return { kind: "second_factor", token, methods };
  }
  const policy = await readFactorPolicy(db);
  const claims = await startSession(accounts, user, meta, replacing, { countGrace: policyCovers(policy.policy, user.isAdmin) });
  return { kind: "session", claims };
}

/** "Cancel" on the second step: the half-session ends at once rather than in 5 minutes. */
export const abandonSignIn = command("login.abandon", async (tx, id: string) => halfSessions.end(tx, id));

const failCommand = command(
  "login.secondFactorFailed",
  async (tx, input: { halfId: string; userId: number; username: string; method: string; ip: string }) => {
    const alive = await halfSessions.fail(tx, input.halfId);
    await appendAudit(tx, "second_factor_failed", {
      actorId: input.userId,
      target: input.username,
      ip: input.ip,
      detail: { method: input.method, ended: !alive },
    });
    return alive;
  },
);

export type FactorProof =
  | { method: "totp"; step: number }
  | { method: "recovery"; hash: Uint8Array }
  | { method: "passkey"; credentialId: string; counter: number; backedUp: boolean };

const finishCommand = command(
  "login.secondFactor",
  async (tx, input: { halfId: string; userId: number; username: string; proof: FactorProof; meta: RequestMeta; replacing: string | null; now: number }) => {
    // Checks first (write-queue.ts): the half-session is still there, and the factor was not used
    // meanwhile (each use below changes nothing when it was: the first write, or a refusal).
    if (!(await halfSessions.alive(tx, input.halfId, input.now))) throw halfSessionExpired();
    const { proof } = input;
    let fresh = false;
    if (proof.method === "totp") fresh = await secondFactors.useTotpStep(tx, input.userId, proof.step);
    else if (proof.method === "recovery") fresh = await secondFactors.useRecoveryCode(tx, input.userId, proof.hash, input.now);
    else fresh = await secondFactors.passkeyUsed(tx, proof.credentialId, proof.counter, proof.backedUp, input.now);
    if (!fresh) throw wrongCode();
    await halfSessions.end(tx, input.halfId);
    if (proof.method === "recovery") {
      const left = (await secondFactors.summary(tx, input.userId)).recoveryLeft;
      await appendAudit(tx, "recovery_code_used", { actorId: input.userId, target: input.username, ip: input.meta.ip, detail: { left } });
    }
    return openSession(tx, {
      userId: input.userId,
      username: input.username,
      meta: input.meta,
      replacing: input.replacing,
      now: input.now,
      method: `password+${proof.method}`,
    });
  },
);

/** The half-session behind the cookie, or 401 second_factor_expired. */
export async function requireHalfSession(accounts: Accounts, token: string | undefined): Promise<{ half: HalfSession; user: User }> {
  const half = await halfSessions.find(accounts.store.read, token);
  const user = half ? await users.get(accounts.store.read, half.userId) : null;
  if (!half || !user || user.disabled) throw halfSessionExpired();
  return { half, user };
}

/** Counts a wrong factor against the half-session (and audits it); throws the answer to give. */
export async function refuseFactor(accounts: Accounts, half: HalfSession, user: User, method: string, meta: RequestMeta): Promise<never> {
  const alive = await accounts.store.write(failCommand, { halfId: half.id, userId: user.id, username: user.username, method, ip: meta.ip });
  throw alive ? wrongCode() : halfSessionExpired();
}

/** Finishes a login with a proved factor: the half-session ends and a session starts. */
export function finishSignIn(accounts: Accounts, half: HalfSession, user: User, proof: FactorProof, meta: RequestMeta) {
  return accounts.store.write(finishCommand, {
    halfId: half.id,
    userId: user.id,
    username: user.username,
    proof,
    meta,
    replacing: half.replacing,
    now: Date.now(),
  });
}

/** The second step with a typed code: six digits for TOTP, otherwise a recovery code. */
export async function submitCode(accounts: Accounts, token: string | undefined, code: string, meta: RequestMeta) {
  const { half, user } = await requireHalfSession(accounts, token);
  await accounts.limits.take("login", meta.ip, usernameKey(user.username), accounts.audit, user.username);
  const typed = code.slice(0, 64);
  if (isRecoveryCodeShape(typed)) {
    const hash = hashRecoveryCode(typed);
    if (!(await secondFactors.hasUnusedRecoveryCode(accounts.store.read, user.id, hash))) return refuseFactor(accounts, half, user, "recovery", meta);
    return { user, claims: await finishOrRefuse(accounts, half, user, { method: "recovery", hash }, meta) };
  }
  const totp = await secondFactors.totp(accounts.store.read, user.id);
  const secret = totp?.enabledAt ? accounts.secretBox.open(totp.secretBox, totpPurpose(user.id)) : null;
  const step = secret ? matchCode(secret, typed, totp!.lastStep, accounts.clock.now()) : null;
  if (step === null) return refuseFactor(accounts, half, user, "totp", meta);
  return { user, claims: await finishOrRefuse(accounts, half, user, { method: "totp", step }, meta) };
}

/** A factor that lost a race (the same code used twice at once) counts as a wrong try. */
async function finishOrRefuse(accounts: Accounts, half: HalfSession, user: User, proof: FactorProof, meta: RequestMeta) {
  try {
    return await finishSignIn(accounts, half, user, proof, meta);
  } catch (error) {
    if (error instanceof AppError && error.code === "invalid_code") return refuseFactor(accounts, half, user, proof.method, meta);
    throw error;
  }
}
