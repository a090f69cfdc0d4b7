// What a user changes about their own account: password, display name, deleting it.
import { command } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { assertPasswordLength, assertPasswordRules } from "./password-rules.ts";
import { sessions, type Actor } from "./sessions.ts";
import type { User } from "./types.ts";
import { nameClashes } from "./name-clashes.ts";
import { normalizeDisplayName, usernameKey } from "./usernames.ts";
import { users } from "./users.ts";

const wrongPassword = () => errors.forbidden("wrong_password", "The current password is not right.");

/**
 * Checks the actor's password, rate-limited like a login: a stolen session must not become a way
 * to guess the password behind it.
 */
async function confirmPassword(accounts: Accounts, actor: Actor, password: string, meta: RequestMeta, purpose: string) {
  assertPasswordLength(password);
  await accounts.limits.take("login", meta.ip, usernameKey(actor.username), accounts.audit);
  const user = await users.getWithSecret(accounts.store.read, actor.userId);
  if (!user) throw errors.unauthorized();
  if (!(await accounts.passwords.verify(password, user.passwordHash, meta.ip))) {
    await accounts.audit.record("login_failed", { actorId: actor.userId, target: actor.username, ip: meta.ip, detail: { reason: "wrong_password", purpose } });
    throw wrongPassword();
  }
  return user;
}

const changePasswordCommand = command(
  "account.changePassword",
  async (tx, input: { userId: number; username: string; sessionId: string; hash: string; ip: string }): Promise<User> => {
    const user = await users.setPassword(tx, input.userId, input.hash, false);
    if (!user) throw errors.unauthorized();
    const ended = await sessions.endAllForUser(tx, input.userId, "password_changed", input.sessionId);
    // The kept session may now use the whole app again (mustChangePassword was cleared).
    tx.announce({ kind: "user.changed", userId: input.userId });
    await appendAudit(tx, "password_changed", { actorId: input.userId, target: input.username, ip: input.ip, detail: { endedSessions: ended.length } });
    return user;
  },
);

/** Changes the password and ends every other session of the user. */
export async function changePassword(
  accounts: Accounts,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<User> {
  assertPasswordLength(input.newPassword);
  await confirmPassword(accounts, actor, input.currentPassword, meta, "change_password");
  assertPasswordRules(input.newPassword, usernameKey(actor.username));
  if (input.newPassword.normalize("NFKC") === input.currentPassword.normalize("NFKC")) {
    throw errors.badRequest("password_unchanged", "The new password must differ from the current one.");
  }
  const hash = await accounts.passwords.hash(input.newPassword, meta.ip);
  return accounts.store.write(changePasswordCommand, { userId: actor.userId, username: actor.username, sessionId: actor.sessionId, hash, ip: meta.ip });
}

const displayNameCommand = command(
  "account.setDisplayName",
  async (tx, input: { userId: number; displayName: string | null; previous: string | null; isAdmin: boolean }): Promise<User> => {
    // An admin may call themselves "Admin"; nobody may look like someone else (name-clashes.ts).
    // A name held from before these rules is kept when saved unchanged.
    if (input.displayName !== input.previous) {
      await nameClashes.assertDisplayNameFree(tx, input.displayName, input.userId, { mayUseReserved: input.isAdmin });
    }
    await nameClashes.recordDisplayName(tx, input.userId, input.displayName);
    const user = await users.setDisplayName(tx, input.userId, input.displayName);
  if (!user) throw errors.unauthorized();
  // Messages posted from already open sockets carry the new name too.
  tx.announce({ kind: "user.changed", userId: user.id });
  // Then everyone else relabels what they show (after the line above, so a client that has seen the
  // new name and posts from an open socket gets it too).
  tx.announce({ kind: "event", to: { everyone: true }, event: { type: "user.updated", user: { id: user.id, username: user.username, displayName: user.displayName } } });
  return user;
});

export function updateDisplayName(accounts: Accounts, actor: Actor, displayName: string | null): Promise<User> {
  return accounts.store.write(displayNameCommand, {
    userId: actor.userId,
    displayName: normalizeDisplayName(displayName),
    previous: actor.displayName,
    isAdmin: actor.isAdmin,
  });
}

const deleteAccountCommand = command("account.delete", async (tx, input: { userId: number; username: string; ip: string }) => {
  const user = await users.get(tx, input.userId);
  if (!user) throw errors.unauthorized();
  if (user.isAdmin && !user.disabled && (await users.countActiveAdmins(tx)) <= 1) {
    throw errors.conflict("last_admin", "You are the only administrator: make someone else an administrator first.");
  }
  await sessions.endAllForUser(tx, input.userId, "account_deleted");
  for (const roomId of await users.leaveAllRooms(tx, input.userId)) {
    tx.announce({ kind: "left", userId: input.userId, roomId });
    tx.announce({ kind: "event", to: { room: roomId }, event: { type: "member.left", roomId, userId: input.userId, reason: "left" } });
  }
  await users.scrub(tx, input.userId);
  await appendAudit(tx, "account_deleted", { actorId: input.userId, target: input.username, ip: input.ip });
});

/**
 * Deletes the actor's account. Data policy: the account is scrubbed (name, display name, password,
 * sessions, room memberships) but its row stays, so the messages and files it posted remain in their
 * rooms attributed to "deleted user"; its username becomes free for someone else.
 */
export async function deleteAccount(accounts: Accounts, actor: Actor, password: string, meta: RequestMeta): Promise<void> {
  await confirmPassword(accounts, actor, password, meta, "delete_account");
  await accounts.store.write(deleteAccountCommand, { userId: actor.userId, username: actor.username, ip: meta.ip });
}
