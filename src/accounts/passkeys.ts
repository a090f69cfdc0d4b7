// Passkeys (WebAuthn) with @simplewebauthn/server: added from the dashboard (named, listed with their
// last use, removable), used to sign in without a username (discoverable credentials), as the second
// factor after a password, and to re-authenticate. User verification is required every time (the
// library's recommendation for passwordless use), and the signature counter may only move forward.
// The user handle given to authenticators is a random value per account, never the user id.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { command } from "../db/store.ts";
import { AppError, errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes.ts";
import { reauth, REAUTH_MS } from "./reauth.ts";
import { expectedOrigins, type RelyingParty } from "./relying-party.ts";
import { secondFactors, type PasskeyRow } from "./second-factors.ts";
import type { Actor } from "./sessions.ts";
import type { PasskeyInfo } from "./types.ts";
import { challengeOf, storeChallenge, takeChallenge, type ChallengePurpose } from "./webauthn-challenges.ts";

/**
 * Loaded at the first ceremony, not with the binary: its ASN.1 and COSE code took ~30 ms of every
 * start, on the event loop and again on the writer thread (which imports this module for its
 * commands). Its @peculiar dependencies look for reflect-metadata when evaluated: loaded first here,
 * since the writer thread does not load it at start.
 */
const webauthn = async () => {
  await import("reflect-metadata");
  return import("@simplewebauthn/server");
};

export const PASSKEY_NAME_MAX = 64;
export const MAX_PASSKEYS = 20;

export const passkeyFailed = () => new AppError(400, "passkey_failed", "The passkey could not be verified. Try again, or use another way to sign in.");
const passkeyNotFound = () => errors.notFound("passkey_not_found", "There is no such passkey.");

const randomHandle = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
const transportsOf = (row: PasskeyRow): string[] => {
  try {
    const parsed = JSON.parse(row.transports) as unknown;
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string").slice(0, 8) : [];
  } catch {
    return [];
  }
};
export const passkeyInfo = (row: PasskeyRow): PasskeyInfo => ({ id: row.id, name: row.name, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt });

/** A display name for a passkey: trimmed, single-line, bounded; "Passkey" when empty. */
export function passkeyName(raw: string | undefined): string {
  const cleaned = (raw ?? "").normalize("NFC").replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, " ").replace(/\s+/g, " ").trim();
  return [...cleaned].slice(0, PASSKEY_NAME_MAX).join("") || "Passkey";
}

const ensureHandle = command("passkeys.handle", async (tx, input: { userId: number; candidate: string }) =>
  secondFactors.ensureHandle(tx, input.userId, input.candidate),
);

async function remember(accounts: Accounts, challenge: string, purpose: ChallengePurpose, userId: number | null) {
  await accounts.store.write(storeChallenge, { challenge, purpose, userId, now: Date.now() });
}

/** Spends the challenge the response answers; refuses a response to no challenge of ours. */
async function spend(accounts: Accounts, clientDataJSON: string, purpose: ChallengePurpose, userId: number | null): Promise<string> {
  const challenge = challengeOf(clientDataJSON);
  if (!challenge || !(await accounts.store.write(takeChallenge, { challenge, purpose, userId, now: Date.now() }))) throw passkeyFailed();
  return challenge;
}

/** Options for adding a passkey to the actor's account (after a fresh re-authentication). */
export async function registrationOptions(accounts: Accounts, actor: Actor, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  const existing = await secondFactors.passkeys(accounts.store.read, actor.userId);
  if (existing.length >= MAX_PASSKEYS) throw errors.conflict("not_allowed", `An account can have at most ${MAX_PASSKEYS} passkeys.`);
  const handle = (await secondFactors.handle(accounts.store.read, actor.userId)) ?? (await accounts.store.write(ensureHandle, { userId: actor.userId, candidate: randomHandle() }));
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: actor.username,
    userDisplayName: actor.displayName ?? actor.username,
    userID: new Uint8Array(Buffer.from(handle, "base64url")),
    attestationType: "none",
    // A discoverable credential (sign in without a username), verified by the person (PIN, biometrics).
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    excludeCredentials: existing.map((row) => ({ id: row.id, transports: transportsOf(row) })),
  });
  await remember(accounts, options.challenge, "register", actor.userId);
  return options;
}

const addCommand = command(
  "passkeys.add",
  async (tx, input: { row: Omit<PasskeyRow, "lastUsedAt">; username: string; codes: Uint8Array[]; ip: string }): Promise<boolean> => {
    if (await secondFactors.passkey(tx, input.row.id)) throw errors.conflict("not_allowed", "This passkey is already registered.");
    await secondFactors.addPasskey(tx, input.row);
    // A first second factor brings recovery codes with it (TOTP's enrolment does the same).
    const fresh = (await secondFactors.summary(tx, input.row.userId)).recoveryLeft === 0;
    if (fresh) await secondFactors.replaceRecoveryCodes(tx, input.row.userId, input.codes, input.row.createdAt);
    await secondFactors.resetGrace(tx, input.row.userId);
    tx.announce({ kind: "user.changed", userId: input.row.userId });
    await appendAudit(tx, "passkey_added", { actorId: input.row.userId, target: input.username, ip: input.ip, detail: { passkey: input.row.name } });
    return fresh;
  },
);

/** Verifies the new credential and stores it; recovery codes come back when it is the account's first factor. */
export async function addPasskey(
  accounts: Accounts,
  actor: Actor,
  rp: RelyingParty,
  input: { response: RegistrationResponseJSON; name?: string },
  meta: RequestMeta & { origin: string | null },
): Promise<{ passkey: PasskeyInfo; recoveryCodes: string[] | null }> {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  const challenge = await spend(accounts, input.response.response.clientDataJSON, "register", actor.userId);
  let verified;
  try {
    verified = await (await webauthn()).verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: expectedOrigins(rp, meta.origin),
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    throw passkeyFailed();
  }
  if (!verified.verified) throw passkeyFailed();
  const info = verified.registrationInfo;
  const codes = newRecoveryCodes();
  const row = {
    id: info.credential.id,
    userId: actor.userId,
    publicKey: new Uint8Array(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify((info.credential.transports ?? []).slice(0, 8)),
    name: passkeyName(input.name),
    backedUp: info.credentialBackedUp ? 1 : 0,
    createdAt: Date.now(),
  };
  const fresh = await accounts.store.write(addCommand, { row, username: actor.username, codes: codes.map(hashRecoveryCode), ip: meta.ip });
  return { passkey: passkeyInfo({ ...row, lastUsedAt: null }), recoveryCodes: fresh ? codes : null };
}

/**
 * Options for using a passkey: for a login without a username, no list (the authenticator offers the
 * discoverable credentials it holds for us); for a second factor or a re-authentication, the account's.
 */
export async function authenticationOptions(
  accounts: Accounts,
  rp: RelyingParty,
  purpose: Exclude<ChallengePurpose, "register">,
  userId: number | null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const allow = userId === null ? [] : await secondFactors.passkeys(accounts.store.read, userId);
  if (userId !== null && allow.length === 0) throw passkeyNotFound();
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: "required",
    allowCredentials: allow.map((row) => ({ id: row.id, transports: transportsOf(row) as never })),
  });
  await remember(accounts, options.challenge, purpose, userId);
  return options;
}

export interface PasskeyProof {
  userId: number;
  credentialId: string;
  counter: number;
  backedUp: boolean;
  name: string;
}

/**
 * Verifies an assertion for `purpose` (and, unless it is a login without a username, for `userId`).
 * Returns the account and the counter to record; any mismatch is the same `passkey_failed`.
 */
export async function verifyAssertion(
  accounts: Accounts,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  purpose: Exclude<ChallengePurpose, "register">,
  userId: number | null,
  origin: string | null,
): Promise<PasskeyProof> {
  const challenge = await spend(accounts, response.response.clientDataJSON, purpose, userId);
  const row = await secondFactors.passkey(accounts.store.read, response.id);
  if (!row || (userId !== null && row.userId !== userId)) throw passkeyFailed();
  // A discoverable credential names its account by the handle we gave it: it must be this one's.
  if (response.response.userHandle) {
    const owner = await secondFactors.userByHandle(accounts.store.read, response.response.userHandle);
    if (owner !== row.userId) throw passkeyFailed();
  }
  let verified;
  try {
    verified = await (await webauthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: expectedOrigins(rp, origin),
      expectedRPID: rp.id,
      credential: { id: row.id, publicKey: new Uint8Array(row.publicKey), counter: row.counter, transports: transportsOf(row) },
      requireUserVerification: true,
    });
  } catch {
    throw passkeyFailed();
  }
  if (!verified.verified) throw passkeyFailed();
  return {
    userId: row.userId,
    credentialId: row.id,
    counter: verified.authenticationInfo.newCounter,
    backedUp: verified.authenticationInfo.credentialBackedUp,
    name: row.name,
  };
}

const reauthCommand = command(
  "passkeys.reauth",
  async (tx, input: { proof: PasskeyProof; sessionId: string; username: string; ip: string; now: number }) => {
    if (!(await secondFactors.passkeyUsed(tx, input.proof.credentialId, input.proof.counter, input.proof.backedUp, input.now))) throw passkeyFailed();
    await reauth.record(tx, input.sessionId, input.now);
    await appendAudit(tx, "reauthenticated", { actorId: input.proof.userId, target: input.username, ip: input.ip, detail: { method: "passkey" } });
    return input.now + REAUTH_MS;
  },
);

/** Re-authenticates the actor's session with one of its passkeys. */
export async function reauthWithPasskey(accounts: Accounts, actor: Actor, rp: RelyingParty, response: AuthenticationResponseJSON, meta: RequestMeta & { origin: string | null }) {
  const proof = await verifyAssertion(accounts, rp, response, "reauth", actor.userId, meta.origin);
  return accounts.store.write(reauthCommand, { proof, sessionId: actor.sessionId, username: actor.username, ip: meta.ip, now: Date.now() });
}

const renameCommand = command("passkeys.rename", async (tx, input: { userId: number; id: string; name: string }) => {
  if (!(await secondFactors.renamePasskey(tx, input.userId, input.id, input.name))) throw passkeyNotFound();
});

export function renamePasskey(accounts: Accounts, actor: Actor, id: string, name: string) {
  return accounts.store.write(renameCommand, { userId: actor.userId, id, name: passkeyName(name) });
}

const removeCommand = command("passkeys.remove", async (tx, input: { userId: number; username: string; id: string; ip: string }) => {
  const row = await secondFactors.passkey(tx, input.id);
  // Another account's passkey is answered like a missing one.
  if (!row || row.userId !== input.userId) throw passkeyNotFound();
  await secondFactors.removePasskey(tx, input.userId, input.id);
  const left = await secondFactors.summary(tx, input.userId);
  if (left.totp === 0 && left.passkeys === 0) await secondFactors.clearRecoveryCodes(tx, input.userId);
  await appendAudit(tx, "passkey_removed", { actorId: input.userId, target: input.username, ip: input.ip, detail: { passkey: row.name } });
});

export async function removePasskey(accounts: Accounts, actor: Actor, id: string, meta: RequestMeta) {
  await reauth.assertRecent(accounts.store.read, actor.sessionId);
  await accounts.store.write(removeCommand, { userId: actor.userId, username: actor.username, id, ip: meta.ip });
}
