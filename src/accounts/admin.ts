// What an administrator does to other accounts and to the server's settings. Callers have already
// checked that the actor is an admin; every action here is audited.
import { errors } from "../http/errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { INVITE_DEFAULT_HOURS } from "./invites.ts";
import { generatePassword } from "./one-time-password.ts";
import type { Actor } from "./sessions.ts";
import type { CreatedInviteResponse, Invite, RegistrationMode, User } from "./types.ts";

const userNotFound = () => errors.notFound("user_not_found", "There is no such user.");
const lastAdmin = () =>
  errors.conflict("last_admin", "This is the last administrator: make someone else an administrator first.");

export function updateUser(
  accounts: Accounts,
  actor: Actor,
  targetId: number,
  change: { isAdmin?: boolean; disabled?: boolean },
  meta: RequestMeta,
): User {
  const { user, events, ended } = accounts.db
    .transaction(() => {
      const before = accounts.users.get(targetId);
      if (!before) throw userNotFound();
      let after = before;
      const events: string[] = [];
      let ended: string[] = [];
      // Counted before any change: demoting or disabling the last active admin would lock everyone out.
      const isLastActiveAdmin = before.isAdmin && !before.disabled && accounts.users.countActiveAdmins() <= 1;
      if (change.isAdmin !== undefined && change.isAdmin !== before.isAdmin) {
        if (!change.isAdmin && isLastActiveAdmin) throw lastAdmin();
        after = accounts.users.setAdmin(targetId, change.isAdmin)!;
        events.push(change.isAdmin ? "admin_granted" : "admin_revoked");
      }
      if (change.disabled !== undefined && change.disabled !== before.disabled) {
        if (change.disabled && targetId === actor.userId) {
          throw errors.conflict("cannot_disable_self", "You cannot disable your own account.");
        }
        if (change.disabled && after.isAdmin && isLastActiveAdmin) throw lastAdmin();
        after = accounts.users.setDisabled(targetId, change.disabled)!;
        if (change.disabled) ended = accounts.sessions.endAllForUser(targetId);
        events.push(change.disabled ? "user_disabled" : "user_enabled");
      }
      return { user: after, events, ended };
    })
    .immediate();
  accounts.sessionEvents.ended(ended, "account_disabled");
  // Open sockets of a promoted or demoted user act with the new rights from now on.
  if (events.includes("admin_granted") || events.includes("admin_revoked")) accounts.sessionEvents.userChanged(user.id);
  for (const event of events) {
    accounts.audit.record(event, { actorId: actor.userId, target: user.username, ip: meta.ip, detail: { userId: user.id, endedSessions: ended.length } });
  }
  return user;
}

/** Sets a one-time password (shown once) that must be changed at the next login; ends all sessions. */
export async function resetPassword(accounts: Accounts, actor: Actor | null, targetId: number, meta: RequestMeta | null) {
  if (actor && actor.userId === targetId) {
    throw errors.conflict("use_account_settings", "Change your own password in your account settings.");
  }
  if (!accounts.users.get(targetId)) throw userNotFound();
  const password = generatePassword();
  const hash = await accounts.passwords.hash(password, meta?.ip);
  const { user, ended } = accounts.db
    .transaction(() => ({ user: accounts.users.setPassword(targetId, hash, true), ended: accounts.sessions.endAllForUser(targetId) }))
    .immediate();
  if (!user) throw userNotFound();
  accounts.sessionEvents.ended(ended, "password_reset");
  accounts.audit.record("password_reset", {
    actorId: actor?.userId ?? null,
    target: user.username,
    ip: meta?.ip ?? null,
    detail: { userId: user.id, by: actor ? "admin" : "cli", endedSessions: ended.length },
  });
  return { user, password };
}

export function setRegistrationMode(accounts: Accounts, actor: Actor, mode: RegistrationMode, meta: RequestMeta): RegistrationMode {
  const before = accounts.settings.registrationMode();
  accounts.settings.setRegistrationMode(mode);
  if (before !== mode) {
    accounts.audit.record("registration_mode_changed", { actorId: actor.userId, target: mode, ip: meta.ip, detail: { from: before, to: mode } });
  }
  return mode;
}

export function createInvite(
  accounts: Accounts,
  actor: Actor,
  options: { expiresInHours?: number; maxUses?: number },
  meta: RequestMeta,
): CreatedInviteResponse {
  const { invite, token } = accounts.invites.create(actor.userId, {
    expiresInHours: options.expiresInHours ?? INVITE_DEFAULT_HOURS,
    maxUses: options.maxUses ?? 1,
  });
  accounts.audit.record("invite_created", {
    actorId: actor.userId,
    target: invite.id,
    ip: meta.ip,
    detail: { expiresAt: invite.expiresAt, maxUses: invite.maxUses },
  });
  // The token rides in the fragment: browsers never send it to the server, so no log holds it.
  return { invite, token, link: `/register#invite=${token}` };
}

export function revokeInvite(accounts: Accounts, actor: Actor, id: string, meta: RequestMeta): Invite {
  const invite = accounts.invites.revoke(id);
  if (!invite) throw errors.notFound("invite_not_found", "There is no such invite.");
  accounts.audit.record("invite_revoked", { actorId: actor.userId, target: invite.id, ip: meta.ip });
  return invite;
}
