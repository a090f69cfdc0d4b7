// Reports of messages: statements and the shape the admin dashboard reads. A report names the
// message; its text is read live when shown (a deleted or expired message shows as deleted), so a
// report never keeps a copy of what retention or a deletion removed.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { COLUMNS, FROM, messageSql, toMessage, toMessages, type MessageRow } from "../messages/message-queries.ts";
import type { Message, RoomKind, UserRef } from "../protocol.ts";

export type ReportStatus = "open" | "resolved";
export type ReportResolution = "dismissed" | "deleted";

export interface MessageReport {
  id: number;
  reason: string;
  createdAt: number;
  reporter: UserRef | null;
  room: { id: number; kind: RoomKind; name: string };
  /** The reported message as it is now ("" body and deletedAt once deleted). */
  message: Message;
  /**
   * Up to CONTEXT messages before and after it, oldest first, the reported one included, as they were
   * read: the room's timeline around a message in it, the thread around a reply kept to its thread.
   * With their files (a reported file shows which file).
   */
  context: Message[];
  resolvedAt: number | null;
  resolvedBy: UserRef | null;
  resolution: ReportResolution | null;
}

/** Messages shown on each side of a reported one. */
export const CONTEXT = 3;

interface ReportRow {
  id: number;
  messageId: number;
  roomId: number;
  reason: string;
  createdAt: number;
  reporterId: number | null;
  reporterName: string | null;
  reporterDisplay: string | null;
  roomKind: RoomKind;
  roomName: string;
  resolvedAt: number | null;
  resolverId: number | null;
  resolverName: string | null;
  resolverDisplay: string | null;
  resolution: ReportResolution | null;
}

// The same columns as every other read of a message (message-queries.ts), so toMessage sees a whole row.
const MESSAGE_COLUMNS = COLUMNS;
const MESSAGE_FROM = FROM;
const IN_TIMELINE = "(m.thread_root_id IS NULL OR m.also_to_room = 1)";

const q = {
  insert: sql<{ id: number }, [number, number, number, string, number]>(
    `INSERT INTO message_reports (message_id, room_id, reporter_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (message_id, reporter_id) DO NOTHING RETURNING id`,
  ),
  page: sql<ReportRow, [number, number, number]>(
    `SELECT r.id, r.message_id AS "messageId", r.room_id AS "roomId", r.reason, r.created_at AS "createdAt",
            r.reporter_id AS "reporterId", ru.username AS "reporterName", ru.display_name AS "reporterDisplay",
            rm.kind AS "roomKind", rm.name AS "roomName",
            r.resolved_at AS "resolvedAt", r.resolved_by AS "resolverId", su.username AS "resolverName", su.display_name AS "resolverDisplay",
            r.resolution
       FROM message_reports r
       JOIN rooms rm ON rm.id = r.room_id
       LEFT JOIN users ru ON ru.id = r.reporter_id
       LEFT JOIN users su ON su.id = r.resolved_by
      WHERE r.id < ?1 AND ((?2 = 0 AND r.resolved_at IS NULL) OR (?2 = 1 AND r.resolved_at IS NOT NULL))
      ORDER BY r.id DESC LIMIT ?3`,
  ),
  one: sql<{ id: number; messageId: number; roomId: number; resolvedAt: number | null }, [number]>(
    `SELECT id, message_id AS "messageId", room_id AS "roomId", resolved_at AS "resolvedAt" FROM message_reports WHERE id = ?`,
  ),
  resolve: sql<never, [number, number, string, number]>("UPDATE message_reports SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?"),
  resolveAllFor: sql<never, [number, number, string, number]>(
    "UPDATE message_reports SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE message_id = ? AND resolved_at IS NULL",
  ),
  openCount: sql<{ n: number }, []>("SELECT count(*) AS n FROM message_reports WHERE resolved_at IS NULL"),
  // The room's timeline (top-level messages and replies also sent to the room, as message-queries.ts
  // reads it): a thread's replies mixed in read as if said in the room (issue 19).
  beforeInRoom: sql<MessageRow, [number, number, number]>(
    `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_FROM} WHERE m.room_id = ? AND m.id < ? AND ${IN_TIMELINE} ORDER BY m.id DESC LIMIT ?`,
  ),
  afterInRoom: sql<MessageRow, [number, number, number]>(
    `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_FROM} WHERE m.room_id = ? AND m.id > ? AND ${IN_TIMELINE} ORDER BY m.id ASC LIMIT ?`,
  ),
  // A reply kept to its thread: the thread around it, its root first.
  beforeInThread: sql<MessageRow, [number, number, number, number]>(
    `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_FROM} WHERE m.id < ? AND (m.id = ? OR m.thread_root_id = ?) ORDER BY m.id DESC LIMIT ?`,
  ),
  afterInThread: sql<MessageRow, [number, number, number]>(
    `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_FROM} WHERE m.id > ? AND m.thread_root_id = ? ORDER BY m.id ASC LIMIT ?`,
  ),
};

const userRef = (id: number | null, username: string | null, displayName: string | null): UserRef | null =>
  id === null || username === null ? null : { id, username, displayName };

export const reportQueries = {
  /** null when this reporter already reported this message. */
  insert: async (tx: Tx, messageId: number, roomId: number, reporterId: number, reason: string, now: number) =>
    (await tx.get(q.insert, messageId, roomId, reporterId, reason, now))?.id ?? null,
  one: (db: Conn, id: number) => db.get(q.one, id),
  resolve: async (tx: Tx, id: number, by: number, resolution: ReportResolution, now: number) => void (await tx.run(q.resolve, now, by, resolution, id)),
  resolveAllFor: async (tx: Tx, messageId: number, by: number, resolution: ReportResolution, now: number) =>
    void (await tx.run(q.resolveAllFor, now, by, resolution, messageId)),
  openCount: async (db: Conn) => (await db.get(q.openCount))!.n,

  /** A page of reports, newest first, each with its message in context. */
  async page(db: Conn, status: ReportStatus, before: number, limit: number): Promise<MessageReport[]> {
    const rows = await db.all(q.page, before, status === "open" ? 0 : 1, limit);
    const reports: MessageReport[] = [];
    for (const row of rows) {
      const message = await db.get(messageSql.one, row.messageId);
      if (!message) continue;
      const root = message.threadRootId;
      const inThread = root !== null && !message.alsoToRoom;
      const earlier = inThread ? await db.all(q.beforeInThread, row.messageId, root, root, CONTEXT) : await db.all(q.beforeInRoom, row.roomId, row.messageId, CONTEXT);
      const later = inThread ? await db.all(q.afterInThread, row.messageId, root, CONTEXT) : await db.all(q.afterInRoom, row.roomId, row.messageId, CONTEXT);
      const context = await toMessages(db, [...earlier.reverse(), message, ...later]);
      reports.push({
        id: row.id,
        reason: row.reason,
        createdAt: row.createdAt,
        reporter: userRef(row.reporterId, row.reporterName, row.reporterDisplay),
        room: { id: row.roomId, kind: row.roomKind, name: row.roomName },
        message: context.find((m) => m.id === message.id) ?? toMessage(message),
        context,
        resolvedAt: row.resolvedAt,
        resolvedBy: userRef(row.resolverId, row.resolverName, row.resolverDisplay),
        resolution: row.resolution,
      });
    }
    return reports;
  },
};
