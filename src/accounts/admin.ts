// What an administrator does to other accounts and to the server's settings. Callers have already
// checked that the actor is an admin; every action here is audited in its own transaction.
import { command } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { INVITE_DEFAULT_HOURS, invites } from "./invites.ts";
import { halfSessions } from "./half-sessions.ts";
import { secondFactors } from "./second-factors.ts";
import { sessions, type Actor } from "./sessions.ts";
import { settings } from "./settings.ts";
import { cleanServerName, serverProfile } from "./server-profile.ts";
import type { CreatedInviteResponse, Invite, RegistrationMode, User } from "./types.ts";
import { users } from "./users.ts";
import type { AuditEvent } from "../protocol.ts";

const userNotFound = () => errors.notFound("user_not_found", "There is no such user.");
const lastAdmin = () => errors.conflict("last_admin", "This is the last administrator: make someone else an administrator first.");

interface ActorRef {
  userId: number;
  ip: string | null;
}

const updateUserCommand = command(
  "admin.updateUser",
  async (tx, input: { actor: ActorRef; targetId: number; change: { isAdmin?: boolean; disabled?: boolean } }): Promise<User> => {
    const { actor, targetId, change } = input;
    const before = await users.get(tx, targetId);
    if (!before) throw userNotFound();
    // Counted before any change: demoting or disabling the last active admin would lock everyone out.
    const isLastActiveAdmin = before.isAdmin && !before.disabled && (await users.countActiveAdmins(tx)) <= 1;
    const grant = change.isAdmin !== undefined && change.isAdmin !== before.isAdmin;
    const disable = change.disabled !== undefined && change.disabled !== before.disabled;
    // Every check before the first write (write-queue.ts).
    if (grant && !change.isAdmin && isLastActiveAdmin) throw lastAdmin();
    if (disable && change.disabled && targetId === actor.userId) throw errors.conflict("cannot_disable_self", "You cannot disable your own account.");
    if (disable && change.disabled && (grant ? change.isAdmin : before.isAdmin) && isLastActiveAdmin) throw lastAdmin();

    let after = before;
    const events: AuditEvent[] = [];
    let endedSessions = 0;
    if (grant) {
      after = (await users.setAdmin(tx, targetId, change.isAdmin!))!;
      events.push(change.isAdmin ? "admin_granted" : "admin_revoked");
      // Open sockets of a promoted or demoted user act with the new rights from now on.
      tx.announce({ kind: "user.changed", userId: targetId });
    }
    if (disable) {
      after = (await users.setDisabled(tx, targetId, change.disabled!))!;
      if (change.disabled) endedSessions = (await sessions.endAllForUser(tx, targetId, "account_disabled")).length;
      events.push(change.disabled ? "user_disabled" : "user_enabled");
      tx.announce({ kind: "user.changed", userId: targetId });
    }
    for (const event of events) {
      await appendAudit(tx, event, { actorId: actor.userId, target: after.username, ip: actor.ip, detail: { userId: after.id, endedSessions } });
    }
    return after;
  },
);

export function updateUser(accounts: Accounts, actor: Actor, targetId: number, change: { isAdmin?: boolean; disabled?: boolean }, meta: RequestMeta) {
  return accounts.store.write(updateUserCommand, { actor: { userId: actor.userId, ip: meta.ip }, targetId, change });
}

const resetFactorsCommand = command(
  "admin.resetSecondFactors",
  async (tx, input: { actor: ActorRef; targetId: number }): Promise<User> => {
    const user = await users.get(tx, input.targetId);
    if (!user) throw userNotFound();
    const before = await secondFactors.summary(tx, input.targetId);
    await secondFactors.removeAll(tx, input.targetId);
    await secondFactors.resetGrace(tx, input.targetId);
    await halfSessions.endForUser(tx, input.targetId);
    // Whoever held a session may have been the one who lost (or stole) the phone: all of them end.
    const ended = await sessions.endAllForUser(tx, input.targetId, "second_factors_reset");
    await appendAudit(tx, "second_factors_reset", {
      actorId: input.actor.userId,
      target: user.username,
      ip: input.actor.ip,
      detail: { userId: user.id, totp: before.totp > 0, passkeys: before.passkeys, endedSessions: ended.length },
    });
    return user;
  },
);

/** Removes the user's TOTP, passkeys and recovery codes (they lost their phone); their sessions end. */
export function resetSecondFactors(accounts: Accounts, actor: Actor, targetId: number, meta: RequestMeta): Promise<User> {
  if (actor.userId === targetId) throw errors.conflict("use_account_settings", "Change your own sign-in in your account settings.");
  return accounts.store.write(resetFactorsCommand, { actor: { userId: actor.userId, ip: meta.ip }, targetId });
}

const setModeCommand = command("admin.setRegistrationMode", async (tx, input: { actor: ActorRef; mode: RegistrationMode }) => {
  const before = await settings.registrationMode(tx);
  await settings.set(tx, "registration_mode", input.mode);
  if (before !== input.mode) {
    await appendAudit(tx, "registration_mode_changed", { actorId: input.actor.userId, target: input.mode, ip: input.actor.ip, detail: { from: before, to: input.mode } });
  }
  return input.mode;
});

const setNameCommand = command("admin.setServerName", async (tx, input: { actor: ActorRef; name: string | null }) => {
  const before = await serverProfile.name(tx);
  await serverProfile.setName(tx, input.name);
  if (before !== input.name) {
    await appendAudit(tx, "server_name_changed", { actorId: input.actor.userId, target: input.name, ip: input.actor.ip, detail: { from: before, to: input.name } });
  }
  return input.name;
});

/** The name shown on the login page, in titles and on invitations; "" or null clears it. */
export function setServerName(accounts: Accounts, actor: Actor, name: string | null, meta: RequestMeta): Promise<string | null> {
  return accounts.store.write(setNameCommand, { actor: { userId: actor.userId, ip: meta.ip }, name: cleanServerName(name) });
}

export function setRegistrationMode(accounts: Accounts, actor: Actor, mode: RegistrationMode, meta: RequestMeta): Promise<RegistrationMode> {
  return accounts.store.write(setModeCommand, { actor: { userId: actor.userId, ip: meta.ip }, mode });
}

const createInviteCommand = command(
  "admin.createInvite",
  async (tx, input: { actor: ActorRef; expiresInHours: number; maxUses: number }): Promise<CreatedInviteResponse> => {
    const { invite, token } = await invites.create(tx, input.actor.userId, input);
    await appendAudit(tx, "invite_created", {
      actorId: input.actor.userId,
      target: invite.id,
      ip: input.actor.ip,
      detail: { expiresAt: invite.expiresAt, maxUses: invite.maxUses },
    });
    // The token rides in the fragment: browsers never send it to the server, so no log holds it.
    return { invite, token, link: `/register#invite=${token}` };
  },
);

export function createInvite(accounts: Accounts, actor: Actor, options: { expiresInHours?: number; maxUses?: number }, meta: RequestMeta) {
  return accounts.store.write(createInviteCommand, {
    actor: { userId: actor.userId, ip: meta.ip },
    expiresInHours: options.expiresInHours ?? INVITE_DEFAULT_HOURS,
    maxUses: options.maxUses ?? 1,
  });
}

const revokeInviteCommand = command("admin.revokeInvite", async (tx, input: { actor: ActorRef; id: string }): Promise<Invite> => {
  const invite = await invites.revoke(tx, input.id);
  if (!invite) throw errors.notFound("invite_not_found", "There is no such invite.");
  await appendAudit(tx, "invite_revoked", { actorId: input.actor.userId, target: invite.id, ip: input.actor.ip });
  return invite;
});

export function revokeInvite(accounts: Accounts, actor: Actor, id: string, meta: RequestMeta): Promise<Invite> {
  return accounts.store.write(revokeInviteCommand, { actor: { userId: actor.userId, ip: meta.ip }, id });
}
