// Messages and read state: typed statements and the row -> protocol mapping. A message's files are
// read for a whole page at once (attachments.ts), never one statement per message.
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import { UNREAD_CAP, type Message, type RoomKind, type RoomRole } from "../protocol.ts";
import { attachmentsOf } from "./attachments.ts";

/** A message row with its author's names, flat as the engines return it. */
export interface MessageRow {
  id: number;
  roomId: number;
  authorId: number;
  username: string;
  displayName: string | null;
  /** 1 when the author's account was deleted. */
  authorDeleted: number;
  clientId: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
  /** How many files it carries (0 for plain text): their rows are read by attachments.ts. */
  fileCount: number;
  /** JSON array of the mentioned user ids (mentions/), null for none. */
  mentions: string | null;
}

/** What editing or deleting a message must know: who wrote it, where, and whether the actor is in there. */
export interface MessageTarget {
  id: number;
  roomId: number;
  authorId: number;
  deletedAt: number | null;
  kind: RoomKind;
  archivedAt: number | null;
  role: RoomRole | null;
}

/** A message row's columns and joins (`m`, `u`, `f`), for statements elsewhere that read whole messages (search). */
export const COLUMNS = `m.id, m.room_id AS "roomId", m.author_id AS "authorId", u.username, u.display_name AS "displayName",
  CASE WHEN u.deleted_at IS NOT NULL THEN 1 ELSE 0 END AS "authorDeleted",
  m.client_id AS "clientId", m.body, m.created_at AS "createdAt", m.edited_at AS "editedAt", m.deleted_at AS "deletedAt",
  (SELECT count(*) FROM files f WHERE f.message_id = m.id) AS "fileCount", m.mentions`;
export const FROM = "FROM messages m JOIN users u ON u.id = m.author_id";
/** For other modules' statements that return whole messages (mentions/mention-queries.ts). */
export { COLUMNS as MESSAGE_COLUMNS, FROM as MESSAGE_FROM };

/**
 * Unread messages that mention the member `m` of room `m.room_id` (the `@2` badge), capped like
 * unread counts. One index range (message_mentions_by_user) per room.
 */
export const UNREAD_MENTIONS = `(SELECT count(*) FROM (SELECT 1 FROM message_mentions mm JOIN messages mx ON mx.id = mm.message_id
    WHERE mm.user_id = m.user_id AND mm.room_id = m.room_id AND mm.message_id > m.last_read_id AND mm.active = 1 AND mx.deleted_at IS NULL
    LIMIT ${UNREAD_CAP}) mention_rows)`;

/** The message without its files (see toMessages). */
export function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.roomId,
    author: { id: row.authorId, username: row.username, displayName: row.displayName, ...(row.authorDeleted ? { deleted: true as const } : {}) },
    clientId: row.clientId,
    body: row.body,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
    mentions: row.mentions ? (JSON.parse(row.mentions) as number[]) : [],
  };
  return message;
}

/** Messages with their files, read in one statement for all of `rows`. */
export async function toMessages(db: Conn, rows: readonly MessageRow[]): Promise<Message[]> {
  const files = await attachmentsOf(db, rows.filter((row) => row.fileCount > 0).map((row) => row.id));
  return rows.map((row) => {
    const message = toMessage(row);
    const attached = files.get(row.id);
    if (attached?.length) {
      message.attachment = attached[0]!;
      message.attachments = attached;
    }
    return message;
  });
}

export const messageSql = {
  /** No row when this author already used the clientId. */
  insert: sql<{ id: number }, [number, number, string, string, number, string | null]>(
    `INSERT INTO messages (room_id, author_id, client_id, body, created_at, mentions) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_id, author_id) DO NOTHING RETURNING id`,
  ),
  byClientId: sql<MessageRow, [number, string]>(`SELECT ${COLUMNS} ${FROM} WHERE m.author_id = ? AND m.client_id = ?`),
  one: sql<MessageRow, [number]>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = ?`),
  target: sql<MessageTarget, [number, number]>(
    `SELECT m.id, m.room_id AS "roomId", m.author_id AS "authorId", m.deleted_at AS "deletedAt",
            r.kind, r.archived_at AS "archivedAt", mem.role
       FROM messages m JOIN rooms r ON r.id = m.room_id
       LEFT JOIN room_members mem ON mem.room_id = m.room_id AND mem.user_id = ?
      WHERE m.id = ?`,
  ),
  edit: sql<never, [string, string | null, number, number, number]>(
    "UPDATE messages SET body = ?, mentions = ?, edited_at = ?, updated_seq = ? WHERE id = ?",
  ),
  // The text is really gone, not hidden: deleting means the server no longer holds it.
  erase: sql<never, [number, number, number]>("UPDATE messages SET body = '', mentions = NULL, deleted_at = ?, updated_seq = ? WHERE id = ?"),
  /** Newest first, older than `before`. */
  page: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id < ? AND m.deleted_at IS NULL ORDER BY m.id DESC LIMIT ?`,
  ),
  /** Oldest first, newer than `after`. */
  after: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id > ? AND m.deleted_at IS NULL ORDER BY m.id ASC LIMIT ?`,
  ),
  /**
   * Of the rooms named (pairs [roomId, lastId]) that the user belongs to, those with a message after
   * lastId: one statement, one index probe per room, whatever the number of rooms.
   */
  roomsWithNews: sql<{ roomId: number; lastId: number }, [[number, number][], number]>({
    // CROSS JOIN keeps the named rooms outermost (SQLite otherwise scans every named room for each
    // of the user's memberships: rooms × rooms), so each is one primary-key probe.
    sqlite: `SELECT json_extract(w.value, '$[0]') AS "roomId", json_extract(w.value, '$[1]') AS "lastId"
               FROM json_each(?1) w
               CROSS JOIN room_members rm ON rm.room_id = json_extract(w.value, '$[0]') AND rm.user_id = ?2
              WHERE EXISTS (SELECT 1 FROM messages m WHERE m.room_id = rm.room_id AND m.id > json_extract(w.value, '$[1]') AND m.deleted_at IS NULL)
              ORDER BY w.key`,
    postgres: `SELECT (w.value->>0)::bigint AS "roomId", (w.value->>1)::bigint AS "lastId"
                 FROM jsonb_array_elements(CAST(?1 AS jsonb)) WITH ORDINALITY AS w(value, ord)
                 JOIN room_members rm ON rm.room_id = (w.value->>0)::bigint AND rm.user_id = ?2
                WHERE EXISTS (SELECT 1 FROM messages m WHERE m.room_id = rm.room_id AND m.id > (w.value->>1)::bigint AND m.deleted_at IS NULL)
                ORDER BY w.ord`,
  }),
  /**
   * Edits and deletions after a seq, over several rooms at once, oldest change first: only of
   * messages the reader already has (id <= that room's lastId). One ordered look-up with a LIMIT:
   * the ids are picked from the index first, and only those rows are joined to their authors and
   * files (joining every remaining change before the sort made each call cost all of them).
   */
  changesIn: sql<MessageRow & { seq: number }, [[number, number][], number, number]>({
    sqlite: `WITH picked AS (
               SELECT m.id, m.updated_seq AS seq
                 FROM json_each(?) w
                 JOIN messages m ON m.room_id = json_extract(w.value, '$[0]') AND m.updated_seq > ? AND m.id <= json_extract(w.value, '$[1]')
                ORDER BY m.updated_seq LIMIT ?)
             SELECT ${COLUMNS}, p.seq
               FROM picked p JOIN messages m ON m.id = p.id
               JOIN users u ON u.id = m.author_id
              ORDER BY p.seq`,
    postgres: `WITH picked AS (
                 SELECT m.id, m.updated_seq AS seq
                   FROM jsonb_array_elements(CAST(? AS jsonb)) AS w(value)
                   JOIN messages m ON m.room_id = (w.value->>0)::bigint AND m.updated_seq > ? AND m.id <= (w.value->>1)::bigint
                  ORDER BY m.updated_seq LIMIT ?)
               SELECT ${COLUMNS}, p.seq
                 FROM picked p JOIN messages m ON m.id = p.id
                 JOIN users u ON u.id = m.author_id
                ORDER BY p.seq`,
  }),
  // messages_by_seq (migration 005) makes this one index probe.
  maxSeq: sql<{ seq: number }, []>("SELECT coalesce(max(updated_seq), 0) AS seq FROM messages WHERE updated_seq IS NOT NULL"),
  lastId: sql<{ id: number }, [number]>("SELECT id FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT 1"),
  markRead: sql<never, [number, number, number, number]>(
    "UPDATE room_members SET last_read_id = ? WHERE room_id = ? AND user_id = ? AND last_read_id < ?",
  ),
  readState: sql<{ lastReadId: number; unread: number; mentions: number }, [number, number]>(
    `SELECT m.last_read_id AS "lastReadId",
            (SELECT count(*) FROM (SELECT 1 FROM messages u
               WHERE u.room_id = m.room_id AND u.id > m.last_read_id AND u.author_id != m.user_id AND u.deleted_at IS NULL
               LIMIT ${UNREAD_CAP}) unread_rows) AS unread,
            ${UNREAD_MENTIONS} AS mentions
       FROM room_members m WHERE m.room_id = ? AND m.user_id = ?`,
  ),
};
