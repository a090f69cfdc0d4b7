// Creating accounts: through the register page (subject to the registration mode, invites and rate
// limits) or by the operator's CLI. The first account on a server without an admin becomes the admin,
// whatever the mode, so a fresh install can always be claimed.
import { command, type Conn, type Tx } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { invites } from "./invites.ts";
import { nameClashes } from "./name-clashes.ts";
import { assertPasswordLength, assertPasswordRules } from "./password-rules.ts";
import { settings } from "./settings.ts";
import type { Invite, InviteInfo, RegistrationInfo, User } from "./types.ts";
import { serverProfile } from "./server-profile.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { announceJoined } from "../rooms/announce.ts";
import { normalizeDisplayName, normalizeUsername, type NormalizedUsername } from "./usernames.ts";
import { users } from "./users.ts";

export interface RegisterInput {
  username: string;
  password: string;
  displayName?: string | null;
  invite?: string;
}

export interface OperatorOptions {
  isAdmin: boolean;
  mustChangePassword: boolean;
}

interface NewAccount {
  name: NormalizedUsername;
  displayName: string | null;
  passwordHash: string;
  invite: string | undefined;
  ip: string;
  mayUseReserved: boolean;
}

/**
 * Every new account also lands in the server's welcome room (the #general the first-run setup made)
 * while it is public and not archived, as Mattermost's town square: the first screen has people in
 * it, whichever link or command made the account.
 */
async function joinWelcomeRoom(tx: Tx, userId: number): Promise<void> {
  const roomId = await serverProfile.welcomeRoomId(tx);
  if (roomId === null) return;
  const room = await roomQueries.roomInfo(tx, roomId);
  if (!room || room.kind !== "public" || room.archivedAt !== null) return;
  if (await roomQueries.insertMember(tx, room.id, userId, "member", Date.now())) await announceJoined(tx, userId, room.id);
}

// Re-checked inside the transaction: the mode, the invite or the name may have changed while hashing.
const registerAccount = command("accounts.register", async (tx, input: NewAccount): Promise<User> => {
  const firstAdmin = !(await users.hasAdmin(tx));
  await assertNameFree(tx, input.name, input.displayName, input.mayUseReserved || firstAdmin);
  const used = await checkAdmission(tx, input.invite, { consume: true });
  // An invite made from a room's "Add people" brings the new account into that room, if it is still open.
  const room = used?.roomId ? await roomQueries.roomInfo(tx, used.roomId) : null;
  const user = await users.insert(tx, { ...input.name, displayName: input.displayName, passwordHash: input.passwordHash, isAdmin: firstAdmin, mustChangePassword: false });
  await nameClashes.recordDisplayName(tx, user.id, input.displayName);
  if (room && room.archivedAt === null && room.kind !== "dm" && (await roomQueries.insertMember(tx, room.id, user.id, "member", Date.now()))) {
    await announceJoined(tx, user.id, room.id);
  }
  await joinWelcomeRoom(tx, user.id);
  await appendAudit(tx, "user_registered", {
    actorId: user.id,
    target: user.username,
    ip: input.ip,
    detail: { admin: user.isAdmin, invite: used?.id ?? null },
  });
  return user;
});

const createByOperator = command(
  "accounts.createByOperator",
  async (tx, input: { name: NormalizedUsername; passwordHash: string; options: OperatorOptions }): Promise<User> => {
    await assertNameFree(tx, input.name, null, true);
    const isAdmin = input.options.isAdmin || !(await users.hasAdmin(tx));
    const user = await users.insert(tx, {
      ...input.name,
      displayName: null,
      passwordHash: input.passwordHash,
      isAdmin,
      mustChangePassword: input.options.mustChangePassword,
    });
    await joinWelcomeRoom(tx, user.id);
    await appendAudit(tx, "user_created", { target: user.username, detail: { by: "cli", admin: user.isAdmin } });
    return user;
  },
);

export async function register(accounts: Accounts, input: RegisterInput, meta: RequestMeta): Promise<User> {
  const db = accounts.store.read;
  // Cheap checks first: an over-long password or a bad name never reaches the hasher or a limiter.
  assertPasswordLength(input.password);
  const name = normalizeUsername(input.username);
  assertPasswordRules(input.password, name.key);
  const displayName = normalizeDisplayName(input.displayName);
  // Answer early, before spending a hash, when the answer is already no. The mode and invite checks
  // reveal nothing about other accounts (invite tokens are 256 random bits), so they come before the
  // rate limit; whether a name is taken does, so probing names is limited.
  await checkAdmission(db, input.invite);
  await accounts.limits.take("register", meta.ip, name.key, accounts.audit);
  // Reserved names are for the server's first account (its administrator) and the operator.
  const mayUseReserved = !(await users.hasAdmin(db));
  await assertNameFree(db, name, displayName, mayUseReserved);

  const passwordHash = await accounts.passwords.hash(input.password, meta.ip);
  return accounts.store.write(registerAccount, { name, displayName, passwordHash, invite: input.invite, ip: meta.ip, mayUseReserved });
}

/** The operator's `vaultroom user create`: no registration mode, invite or rate limit applies. */
export async function createUserAsOperator(accounts: Accounts, username: string, password: string, options: OperatorOptions): Promise<User> {
  const name = normalizeUsername(username);
  assertPasswordRules(password, name.key);
  await assertNameFree(accounts.store.read, name, null, true);
  const passwordHash = await accounts.passwords.hash(password);
  return accounts.store.write(createByOperator, { name, passwordHash, options });
}

/**
 * Whether the registration mode lets a newcomer in; with `consume` (inside the transaction), counts
 * the invite's use. A server without an admin admits its first account in every mode. On an open
 * server an invite is not needed, but one that is given is used (it may bring the account into a
 * room), so a link that no longer works is said so rather than silently ignored.
 */
async function checkAdmission(db: Conn, invite: string | undefined, options: { consume?: boolean } = {}): Promise<Invite | null> {
  if (!(await users.hasAdmin(db))) return null;
  const mode = await settings.registrationMode(db);
  if (mode === "closed") throw errors.forbidden("registration_closed", "Registration is closed on this server.");
  if (mode === "open" && !invite) return null;
  if (!invite) throw errors.forbidden("invite_required", "You need an invite link to register on this server.");
  return options.consume ? invites.consume(db as Tx, invite) : invites.check(db, invite);
}

/** What the registration page says before anyone types: how one gets in, and whether this is the first account. */
export async function registrationInfo(db: Conn): Promise<RegistrationInfo> {
  return { mode: await settings.registrationMode(db), serverName: await serverProfile.name(db), firstAccount: !(await users.hasAdmin(db)) };
}

/**
 * What an invite link's landing page says to whoever holds it: the server's name, who invited them
 * and into which room. Only a valid link gets an answer (256 random bits: nobody finds one by trying);
 * the others get the same refusals as registering with them would.
 */
export async function describeInvite(db: Conn, token: string): Promise<InviteInfo> {
  // Closed registration refuses links too: the page says so instead of a form that fails at the end.
  const invite = (await checkAdmission(db, token)) ?? (await invites.check(db, token));
  const inviter = invite.createdBy !== null ? await users.get(db, invite.createdBy) : null;
  const room = invite.roomId !== null ? await roomQueries.roomInfo(db, invite.roomId) : null;
  return {
    serverName: await serverProfile.name(db),
    invitedBy: inviter && !inviter.disabled ? { username: inviter.username, displayName: inviter.displayName } : null,
    room: room && room.archivedAt === null && room.kind !== "dm" ? { name: room.name, kind: room.kind } : null,
    expiresAt: invite.expiresAt,
  };
}

async function assertNameFree(db: Conn, name: NormalizedUsername, displayName: string | null, mayUseReserved: boolean): Promise<void> {
  if (await users.isKeyTaken(db, name.key)) throw errors.conflict("username_taken", "This username is already taken.");
  if (await users.isSkeletonTaken(db, name.skeleton)) {
    throw errors.conflict("username_confusable", "This username looks too much like an existing one; choose another.");
  }
  await nameClashes.assertUsernameFree(db, name.skeleton, { mayUseReserved, username: name.username });
  await nameClashes.assertDisplayNameFree(db, displayName, 0, { mayUseReserved });
}
