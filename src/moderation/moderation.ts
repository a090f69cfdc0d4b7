// Moderation: members report messages to the admins, admins handle reports (dismiss, or delete the
// message), room owners and admins ban users from a room. Each is one command that checks first,
// then writes, announces and audits in the same transaction. Deleting someone else's message
// directly goes through messages.delete (the same rules: owner in their room, admin anywhere).
import type { Actor } from "../accounts/sessions.ts";
import { appendAudit } from "../accounts/audit.ts";
import { users } from "../accounts/users.ts";
import { command, type Store } from "../db/store.ts";
import type { Chat } from "../messages/chat.ts";
import { eraseMessage } from "../messages/messages.ts";
import { messageSql } from "../messages/message-queries.ts";
import { announceLeft } from "../rooms/announce.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { visible } from "../rooms/rooms.ts";
import { hasVisibleText } from "../text/visible-text.ts";
import { bans, type RoomBan } from "./bans.ts";
import { moderationErrors } from "./errors.ts";
import { reportQueries, type MessageReport, type ReportResolution, type ReportStatus } from "./reports.ts";

export const MAX_REPORT_REASON = 500;
export const MAX_BAN_REASON = 200;

function cleanReason(raw: string, max: number, required: boolean): string {
  const reason = raw.trim();
  if (required && !hasVisibleText(reason)) throw chatErrors.invalid("Say why you report this message.");
  if (reason.length > max || !reason.isWellFormed()) throw chatErrors.invalid(`A reason is at most ${max} characters of text.`);
  return reason;
}

interface ActorRef {
  userId: number;
  isAdmin: boolean;
}
const ref = (actor: Actor): ActorRef => ({ userId: actor.userId, isAdmin: actor.isAdmin });

/** Any member of the message's room may report it, once; everyone else gets message_not_found. */
const reportMessage = command("moderation.report", async (tx, input: { actor: ActorRef; messageId: number; reason: string; now: number }) => {
  const row = await tx.get(messageSql.target, input.actor.userId, input.messageId);
  if (!row || row.deletedAt !== null || row.role === null) throw chatErrors.messageNotFound();
  const id = await reportQueries.insert(tx, row.id, row.roomId, input.actor.userId, input.reason, input.now);
  if (id !== null) {
    await appendAudit(tx, "message_reported", {
      actorId: input.actor.userId,
      target: `message:${row.id}`,
      detail: { reportId: id, roomId: row.roomId, authorId: row.authorId },
    }, input.now);
  }
  return { reported: true as const, messageId: row.id };
});

const resolveReport = command(
  "moderation.resolve",
  async (tx, input: { adminId: number; reportId: number; action: ReportResolution; now: number }): Promise<{ reportId: number; resolution: ReportResolution }> => {
    const report = await reportQueries.one(tx, input.reportId);
    if (!report) throw moderationErrors.reportNotFound();
    if (input.action === "deleted") {
      const message = await tx.get(messageSql.target, input.adminId, report.messageId);
      if (message && message.deletedAt === null) await eraseMessage(tx, message, input.now);
      // Every open report of that message is settled by its deletion.
      await reportQueries.resolveAllFor(tx, report.messageId, input.adminId, "deleted", input.now);
    }
    await reportQueries.resolve(tx, report.id, input.adminId, input.action, input.now);
    await appendAudit(tx, "report_resolved", {
      actorId: input.adminId,
      target: `message:${report.messageId}`,
      detail: { reportId: report.id, roomId: report.roomId, resolution: input.action },
    }, input.now);
    return { reportId: report.id, resolution: input.action };
  },
);

/** The room's owner or an admin; the ban removes the user if they are a member. DMs have no bans. */
const banUser = command("moderation.ban", async (tx, input: { actor: ActorRef; roomId: number; userId: number; reason: string; now: number }) => {
  const { roomId, userId } = input;
  const access = await visible(tx, input.actor, roomId);
  if (access.kind === "dm") throw chatErrors.cannotLeaveDm();
  // Admin rights confirmed in this transaction when they are what allows it (users.confirmed).
  const actor = access.role !== "owner" ? await users.confirmed(tx, input.actor) : input.actor;
  if (access.role !== "owner" && !actor.isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can ban someone.");
  if (userId === actor.userId) throw chatErrors.notAllowed("You cannot ban yourself.");
  if (!(await roomQueries.activeUser(tx, userId)) && !(await roomQueries.member(tx, roomId, userId))) throw chatErrors.userNotFound();
  await bans.insert(tx, roomId, userId, actor.userId, input.now, input.reason);
  if (await roomQueries.removeMember(tx, roomId, userId)) announceLeft(tx, userId, roomId, "removed");
  await appendAudit(tx, "room_ban", { actorId: actor.userId, target: `user:${userId}`, detail: { roomId, reason: input.reason || null } }, input.now);
  return { roomId, userId };
});

const unbanUser = command("moderation.unban", async (tx, input: { actor: ActorRef; roomId: number; userId: number; now: number }) => {
  const { roomId, userId } = input;
  const access = await visible(tx, input.actor, roomId);
  const actor = access.role !== "owner" ? await users.confirmed(tx, input.actor) : input.actor;
  if (access.role !== "owner" && !actor.isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can lift a ban.");
  if (!(await bans.remove(tx, roomId, userId))) throw chatErrors.userNotFound();
  await appendAudit(tx, "room_unban", { actorId: actor.userId, target: `user:${userId}`, detail: { roomId } }, input.now);
  return { roomId, userId };
});

export function createModeration({ store }: { store: Store; chat: Chat }) {
  const db = store.read;
  return {
    report(actor: Actor, messageId: number, reason: string) {
      return store.write(reportMessage, { actor: ref(actor), messageId, reason: cleanReason(reason, MAX_REPORT_REASON, true), now: Date.now() });
    },

    /** Admins only (checked by the route): a page of open or resolved reports with their context. */
    reports(status: ReportStatus, before: number | undefined, limit: number): Promise<MessageReport[]> {
      return reportQueries.page(db, status, before ?? Number.MAX_SAFE_INTEGER, Math.min(Math.max(limit, 1), 100));
    },

    openReports: () => reportQueries.openCount(db),

    resolve(admin: Actor, reportId: number, action: ReportResolution) {
      return store.write(resolveReport, { adminId: admin.userId, reportId, action, now: Date.now() });
    },

    ban(actor: Actor, roomId: number, userId: number, reason = "") {
      return store.write(banUser, { actor: ref(actor), roomId, userId, reason: cleanReason(reason, MAX_BAN_REASON, false), now: Date.now() });
    },

    unban(actor: Actor, roomId: number, userId: number) {
      return store.write(unbanUser, { actor: ref(actor), roomId, userId, now: Date.now() });
    },

    /** The room's bans, for its owner or an admin. */
    async bans(actor: Actor, roomId: number): Promise<RoomBan[]> {
      const access = await visible(db, ref(actor), roomId);
      if (access.role !== "owner" && !(await users.confirmed(db, ref(actor))).isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can see its bans.");
      return bans.list(db, roomId);
    },
  };
}

export type Moderation = ReturnType<typeof createModeration>;
