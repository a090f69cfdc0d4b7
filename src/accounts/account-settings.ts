// What a user changes about their own account: password, display name, deleting it.
import { errors } from "../http/errors.ts";
import type { Actor } from "./sessions.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { assertPasswordLength, assertPasswordRules } from "./password-rules.ts";
import type { User } from "./types.ts";
import { normalizeDisplayName, usernameKey } from "./usernames.ts";

const wrongPassword = () => errors.forbidden("wrong_password", "The current password is not right.");

/**
 * Checks the actor's password, rate-limited like a login: a stolen session must not become a way
 * to guess the password behind it.
 */
async function confirmPassword(accounts: Accounts, actor: Actor, password: string, meta: RequestMeta, purpose: string) {
  assertPasswordLength(password);
  accounts.limits.take("login", meta.ip, usernameKey(actor.username), accounts.audit);
  const user = accounts.users.getWithSecret(actor.userId);
  if (!user) throw errors.unauthorized();
  if (!(await accounts.passwords.verify(password, user.passwordHash, meta.ip))) {
    accounts.audit.record("login_failed", { actorId: actor.userId, target: actor.username, ip: meta.ip, detail: { reason: "wrong_password", purpose } });
    throw wrongPassword();
  }
  return user;
}

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
  const { user, ended } = accounts.db
    .transaction(() => ({
      user: accounts.users.setPassword(actor.userId, hash, false),
      ended: accounts.sessions.endAllForUser(actor.userId, actor.sessionId),
    }))
    .immediate();
  if (!user) throw errors.unauthorized();
  accounts.sessionEvents.ended(ended, "password_changed");
  accounts.audit.record("password_changed", { actorId: actor.userId, target: actor.username, ip: meta.ip, detail: { endedSessions: ended.length } });
  return user;
}

export function updateDisplayName(accounts: Accounts, actor: Actor, displayName: string | null): User {
  const name = normalizeDisplayName(displayName);
  const user = accounts.db
    .transaction(() => {
      // An admin may call themselves "Admin"; nobody may look like someone else (name-clashes.ts).
      // A name held from before these rules is kept when saved unchanged.
      if (name !== actor.displayName) accounts.names.assertDisplayNameFree(name, actor.userId, { mayUseReserved: actor.isAdmin });
      accounts.names.recordDisplayName(actor.userId, name);
      return accounts.users.setDisplayName(actor.userId, name);
    })
    .immediate();
  if (!user) throw errors.unauthorized();
  // Messages posted from already open sockets carry the new name too.
  accounts.sessionEvents.userChanged(user.id);
  return user;
}

/**
 * Deletes the actor's account. Data policy: the account is scrubbed (name, display name, password,
 * sessions, room memberships) but its row stays, so the messages and files it posted remain in their
 * rooms attributed to "deleted user"; its username becomes free for someone else.
 */
export async function deleteAccount(accounts: Accounts, actor: Actor, password: string, meta: RequestMeta): Promise<void> {
  const user = await confirmPassword(accounts, actor, password, meta, "delete_account");
  const { ended, rooms } = accounts.db
    .transaction(() => {
      if (user.isAdmin && !user.disabled && accounts.users.countActiveAdmins() <= 1) {
        throw errors.conflict("last_admin", "You are the only administrator: make someone else an administrator first.");
      }
      const ids = accounts.sessions.endAllForUser(actor.userId);
      const left = accounts.users.leaveAllRooms(actor.userId);
      accounts.users.scrub(actor.userId);
      return { ended: ids, rooms: left };
    })
    .immediate();
  accounts.sessionEvents.ended(ended, "account_deleted");
  accounts.sessionEvents.leftRooms(actor.userId, rooms);
  accounts.audit.record("account_deleted", { actorId: actor.userId, target: actor.username, ip: meta.ip });
}
