// Signing in with a passkey: on its own, without a username (a discoverable credential verified by the
// person: possession and a PIN or biometrics, so no password is asked), or as the second factor after
// a password. Tries share the login buckets: per address for the username-less login (there is no
// account to name until the assertion is verified), per address and account for the second factor.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { command } from "../db/store.ts";
import { AppError, errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { ipKey } from "./auth-limits.ts";
import { openSession } from "./login.ts";
import { authenticationOptions, passkeyFailed, verifyAssertion, type PasskeyProof } from "./passkeys.ts";
import type { RelyingParty } from "./relying-party.ts";
import { finishSignIn, refuseFactor, requireHalfSession } from "./second-step.ts";
import { secondFactors } from "./second-factors.ts";
import type { User } from "./types.ts";
import { usernameKey } from "./usernames.ts";
import { users } from "./users.ts";

type Meta = RequestMeta & { origin: string | null };

/** The username-less login's bucket: per address twice over (no account is known yet). */
const takeAnonymous = (accounts: Accounts, ip: string) => accounts.limits.take("login", ip, `#passkey ${ipKey(ip)}`, accounts.audit, null);

export async function passkeyLoginOptions(accounts: Accounts, rp: RelyingParty, meta: RequestMeta): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await takeAnonymous(accounts, meta.ip);
  return authenticationOptions(accounts, rp, "login", null);
}

const loginCommand = command(
  "login.passkey",
  async (tx, input: { proof: PasskeyProof; username: string; meta: RequestMeta; replacing: string | null; now: number }) => {
    if (!(await secondFactors.passkeyUsed(tx, input.proof.credentialId, input.proof.counter, input.proof.backedUp, input.now))) throw passkeyFailed();
    return openSession(tx, { userId: input.proof.userId, username: input.username, meta: input.meta, replacing: input.replacing, now: input.now, method: "passkey" });
  },
);

/** A login with a passkey alone; returns the user and the session's claims. */
export async function signInWithPasskey(accounts: Accounts, rp: RelyingParty, response: AuthenticationResponseJSON, meta: Meta, replacing: string | null) {
  await takeAnonymous(accounts, meta.ip);
  let proof: PasskeyProof;
  try {
    proof = await verifyAssertion(accounts, rp, response, "login", null, meta.origin);
  } catch (error) {
    if (error instanceof AppError) await accounts.audit.record("login_failed", { ip: meta.ip, detail: { reason: "passkey" } });
    throw error;
  }
  const user = await users.get(accounts.store.read, proof.userId);
  if (!user) throw passkeyFailed();
  if (user.disabled) {
    await accounts.audit.record("login_refused", { actorId: user.id, target: user.username, ip: meta.ip, detail: { reason: "disabled" } });
    throw errors.forbidden("account_disabled", "This account has been disabled by an administrator.");
  }
  const claims = await accounts.store.write(loginCommand, { proof, username: user.username, meta, replacing, now: Date.now() });
  return { user, claims };
}

export async function secondFactorPasskeyOptions(accounts: Accounts, rp: RelyingParty, token: string | undefined) {
  const { user } = await requireHalfSession(accounts, token);
  return authenticationOptions(accounts, rp, "second_factor", user.id);
}

/** The second step with a passkey; a failed assertion counts as a wrong code. */
export async function secondFactorWithPasskey(
  accounts: Accounts,
  rp: RelyingParty,
  token: string | undefined,
  response: AuthenticationResponseJSON,
  meta: Meta,
): Promise<{ user: User; claims: { sid: string; sec: string } }> {
  const { half, user } = await requireHalfSession(accounts, token);
  await accounts.limits.take("login", meta.ip, usernameKey(user.username), accounts.audit, user.username);
  let proof: PasskeyProof;
  try {
    proof = await verifyAssertion(accounts, rp, response, "second_factor", user.id, meta.origin);
  } catch (error) {
    if (error instanceof AppError && error.code === "passkey_failed") return refuseFactor(accounts, half, user, "passkey", meta);
    throw error;
  }
  const claims = await finishSignIn(accounts, half, user, { method: "passkey", credentialId: proof.credentialId, counter: proof.counter, backedUp: proof.backedUp }, meta);
  return { user, claims };
}
