// Retention settings: server-wide (settings table) and per room (rooms.retention_days,
// rooms.disappear_hours). Forever is the default everywhere: nothing is deleted until an admin or a
// room owner asks for it.
import { appendAudit } from "../accounts/audit.ts";
import { settings } from "../accounts/settings.ts";
import { users } from "../accounts/users.ts";
import { sql } from "../db/query.ts";
import { command, type Conn } from "../db/store.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { visible } from "../rooms/rooms.ts";

export const MAX_RETENTION_DAYS = 36_500;
export const MAX_DISAPPEAR_HOURS = 24 * 365;

export interface ServerRetention {
  /** Messages (and their files) older than this many days are deleted; null keeps them forever. */
  messageDays: number | null;
  /** Files older than this many days are deleted (their message stays, without the file); null: forever. */
  fileDays: number | null;
}

export interface RoomRetention {
  roomId: number;
  /** This room's own limit in days; null follows the server's. */
  retentionDays: number | null;
  /** Each message is deleted this many hours after it was sent; null: off. */
  disappearHours: number | null;
  /** The server-wide limit this room follows when it has none of its own. */
  serverDays: number | null;
}

const MESSAGE_DAYS = "retention.message_days";
const FILE_DAYS = "retention.file_days";

const q = {
  room: sql<{ retentionDays: number | null; disappearHours: number | null }, [number]>(
    `SELECT retention_days AS "retentionDays", disappear_hours AS "disappearHours" FROM rooms WHERE id = ?`,
  ),
  setRoom: sql<never, [number | null, number | null, number]>("UPDATE rooms SET retention_days = ?, disappear_hours = ? WHERE id = ?"),
};

const days = (raw: string | null): number | null => {
  const n = raw === null ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export async function serverRetention(db: Conn): Promise<ServerRetention> {
  return { messageDays: days(await settings.get(db, MESSAGE_DAYS)), fileDays: days(await settings.get(db, FILE_DAYS)) };
}

export async function roomRetention(db: Conn, roomId: number): Promise<RoomRetention> {
  const row = (await db.get(q.room, roomId))!;
  return { roomId, ...row, serverDays: (await serverRetention(db)).messageDays };
}

export const setServerRetention = command(
  "retention.server",
  async (tx, input: { adminId: number; ip: string; value: ServerRetention; now: number }): Promise<ServerRetention> => {
    const { messageDays, fileDays } = input.value;
    // The values it replaces go in the audit entry too (issue 19): "retention changed" alone did not
    // say from what, and a shortened limit is the one that deletes.
    const before = await serverRetention(tx);
    if (messageDays === null) await settings.clear(tx, MESSAGE_DAYS);
    else await settings.set(tx, MESSAGE_DAYS, String(messageDays));
    if (fileDays === null) await settings.clear(tx, FILE_DAYS);
    else await settings.set(tx, FILE_DAYS, String(fileDays));
    const detail = { messageDays, fileDays, previousMessageDays: before.messageDays, previousFileDays: before.fileDays };
    await appendAudit(tx, "retention_changed", { actorId: input.adminId, ip: input.ip, target: "server", detail }, input.now);
    return serverRetention(tx);
  },
);

/** The room's owner (or an admin) sets its retention and disappearing messages. */
export const setRoomRetention = command(
  "retention.room",
  async (tx, input: { actor: { userId: number; isAdmin: boolean }; roomId: number; retentionDays: number | null; disappearHours: number | null; now: number }) => {
    const access = await visible(tx, input.actor, input.roomId);
    // Admin rights confirmed in this transaction when they are what allows it (users.confirmed).
    const actor = access.role !== "owner" ? await users.confirmed(tx, input.actor) : input.actor;
    if (access.role !== "owner" && !actor.isAdmin) throw chatErrors.notAllowed("Only the room's owner or an admin can change how long messages are kept.");
    const before = (await tx.get(q.room, input.roomId))!;
    await tx.run(q.setRoom, input.retentionDays, input.disappearHours, input.roomId);
    await appendAudit(tx, "retention_changed", {
      actorId: input.actor.userId,
      target: `room:${input.roomId}`,
      detail: {
        retentionDays: input.retentionDays,
        disappearHours: input.disappearHours,
        previousRetentionDays: before.retentionDays,
        previousDisappearHours: before.disappearHours,
      },
    }, input.now);
    return roomRetention(tx, input.roomId);
  },
);
