// The first administrator's welcome (issue 19): a short setup right after the server's first account
// is made — its name, who may create accounts (chosen consciously; invite-only is the default for a
// secure appliance), a #general room for everyone, and a first invite link into it. It can be
// skipped, which keeps the secure default, and is never offered again either way. One command each,
// audited like every admin action.
import type { Actor } from "./sessions.ts";
import { command, type Tx } from "../db/store.ts";
import { errors } from "../errors.ts";
import { sql } from "../db/query.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { INVITE_DEFAULT_HOURS, invites } from "./invites.ts";
import { cleanServerName, serverProfile } from "./server-profile.ts";
import { settings } from "./settings.ts";
import { users } from "./users.ts";
import type { RegistrationMode, SetupBody, SetupResponse } from "./types.ts";
import { cleanTopic, createRoom, joinRoom } from "../rooms/rooms.ts";

/** The first invite link is for a handful of colleagues. */
export const SETUP_INVITE_USES = 10;
export const GENERAL_ROOM = "general";

const q = {
  general: sql<{ id: number }, [string]>("SELECT id FROM rooms WHERE kind = 'public' AND name = ? AND archived_at IS NULL ORDER BY id LIMIT 1"),
};

/** Admin rights confirmed in the transaction that uses them (a demotion on another node counts at once). */
async function assertAdmin(tx: Tx, userId: number): Promise<void> {
  if (!(await users.isActiveAdmin(tx, userId))) throw errors.forbidden("admin_only", "Only an administrator can do this.");
}

const setupDone = () => errors.conflict("setup_done", "This server has already been set up; change its settings on the dashboard.");

interface ActorRef {
  userId: number;
  ip: string | null;
}

async function setMode(tx: Tx, actor: ActorRef, mode: RegistrationMode): Promise<void> {
  const before = await settings.registrationMode(tx);
  await settings.set(tx, "registration_mode", mode);
  if (before !== mode) {
    await appendAudit(tx, "registration_mode_changed", { actorId: actor.userId, target: mode, ip: actor.ip, detail: { from: before, to: mode } });
  }
}

const runSetup = command(
  "admin.setup",
  async (tx, input: { actor: ActorRef; serverName: string | null; mode: RegistrationMode; createGeneral: boolean; topic: string; now: number }): Promise<SetupResponse> => {
    const { actor, now } = input;
    await assertAdmin(tx, actor.userId);
    if (await serverProfile.setupCompleted(tx)) throw setupDone();
    // #general first: its checks (the admin's room cap) come before anything else is written.
    let roomId: number | null = null;
    if (input.createGeneral) {
      const existing = (await tx.get(q.general, GENERAL_ROOM))?.id ?? null;
      roomId = existing
        ? (await joinRoom.run(tx, { userId: actor.userId, roomId: existing, now })).id
        : (await createRoom.run(tx, { actor: { userId: actor.userId, isAdmin: true }, kind: "public", name: GENERAL_ROOM, topic: input.topic, invited: [], now })).room.id;
    }
    if (roomId !== null) await serverProfile.setWelcomeRoom(tx, roomId);
    await serverProfile.setName(tx, input.serverName);
    await setMode(tx, actor, input.mode);
    let invite: SetupResponse["invite"] = null;
    if (input.mode !== "closed") {
      const created = await invites.create(tx, actor.userId, { expiresInHours: INVITE_DEFAULT_HOURS, maxUses: SETUP_INVITE_USES, roomId }, now);
      await appendAudit(tx, "invite_created", {
        actorId: actor.userId,
        target: created.invite.id,
        ip: actor.ip,
        detail: { expiresAt: created.invite.expiresAt, maxUses: created.invite.maxUses, roomId },
      });
      // The token rides in the fragment: browsers never send it to the server, so no log holds it.
      invite = { invite: created.invite, token: created.token, link: `/register#invite=${created.token}` };
    }
    await serverProfile.completeSetup(tx);
    await appendAudit(tx, "setup_completed", { actorId: actor.userId, ip: actor.ip, detail: { mode: input.mode, general: roomId !== null } });
    return { serverName: input.serverName, registrationMode: input.mode, roomId, invite };
  },
);

/** Skipping keeps the secure default: a server still open to anyone becomes invite-only. */
const skipSetupCommand = command("admin.skipSetup", async (tx, input: { actor: ActorRef }): Promise<{ registrationMode: RegistrationMode }> => {
  await assertAdmin(tx, input.actor.userId);
  if (await serverProfile.setupCompleted(tx)) throw setupDone();
  const mode = await settings.registrationMode(tx);
  const next = mode === "open" ? "invite" : mode;
  await setMode(tx, input.actor, next);
  await serverProfile.completeSetup(tx);
  await appendAudit(tx, "setup_skipped", { actorId: input.actor.userId, ip: input.actor.ip, detail: { mode: next } });
  return { registrationMode: next };
});

export function completeSetup(accounts: Accounts, actor: Actor, body: SetupBody, meta: RequestMeta): Promise<SetupResponse> {
  const serverName = cleanServerName(body.serverName ?? null);
  const topic = cleanTopic(body.generalTopic ?? "");
  return accounts.store.write(runSetup, {
    actor: { userId: actor.userId, ip: meta.ip },
    serverName,
    mode: body.registrationMode,
    createGeneral: body.createGeneral,
    topic,
    now: Date.now(),
  });
}

export function skipSetup(accounts: Accounts, actor: Actor, meta: RequestMeta) {
  return accounts.store.write(skipSetupCommand, { actor: { userId: actor.userId, ip: meta.ip } });
}
