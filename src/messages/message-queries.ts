// Prepared statements for messages and read state, created once per database.
import type { Database } from "bun:sqlite";
import { toAttachment } from "../files/attachment.ts";
import { UNREAD_CAP, type Message, type RoomKind, type RoomRole } from "../protocol.ts";

/** A message row with its author's names, flat as SQLite returns it. */
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
  /** The attached file's columns (files/), all null for a plain message. */
  fileId: string | null;
  fileName: string | null;
  fileSize: number | null;
  fileMime: string | null;
  fileSha256: string | null;
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

const COLUMNS = `m.id, m.room_id AS roomId, m.author_id AS authorId, u.username, u.display_name AS displayName,
  u.deleted_at IS NOT NULL AS authorDeleted,
  m.client_id AS clientId, m.body, m.created_at AS createdAt, m.edited_at AS editedAt, m.deleted_at AS deletedAt,
  f.id AS fileId, f.name AS fileName, f.size AS fileSize, f.mime AS fileMime, f.sha256 AS fileSha256`;
const FROM = "FROM messages m JOIN users u ON u.id = m.author_id LEFT JOIN files f ON f.message_id = m.id";

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
  };
  if (row.fileId !== null) {
    message.attachment = toAttachment({ id: row.fileId, name: row.fileName!, size: row.fileSize!, mime: row.fileMime!, sha256: row.fileSha256! });
  }
  return message;
}

export function createMessageQueries(db: Database) {
  return {
    /** changes = 0 when this author already used the clientId. */
    insert: db.query<null, [number, number, string, string, number]>(
      `INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (client_id, author_id) DO NOTHING`,
    ),
    byClientId: db.query<MessageRow, [number, string]>(`SELECT ${COLUMNS} ${FROM} WHERE m.author_id = ? AND m.client_id = ?`),
    one: db.query<MessageRow, [number]>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = ?`),
    target: db.query<MessageTarget, [number, number]>(
      `SELECT m.id, m.room_id AS roomId, m.author_id AS authorId, m.deleted_at AS deletedAt,
              r.kind, r.archived_at AS archivedAt, mem.role
         FROM messages m JOIN rooms r ON r.id = m.room_id
         LEFT JOIN room_members mem ON mem.room_id = m.room_id AND mem.user_id = ?
        WHERE m.id = ?`,
    ),
    edit: db.query<null, [string, number, number, number]>("UPDATE messages SET body = ?, edited_at = ?, updated_seq = ? WHERE id = ?"),
    erase: db.query<null, [number, number, number]>(
      // The text is really gone, not hidden: deleting means the server no longer holds it.
      "UPDATE messages SET body = '', deleted_at = ?, updated_seq = ? WHERE id = ?",
    ),
    /** Newest first, older than `before`. */
    page: db.query<MessageRow, [number, number, number]>(
      `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id < ? AND m.deleted_at IS NULL ORDER BY m.id DESC LIMIT ?`,
    ),
    /** Oldest first, newer than `after`. */
    after: db.query<MessageRow, [number, number, number]>(
      `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id > ? AND m.deleted_at IS NULL ORDER BY m.id ASC LIMIT ?`,
    ),
    /**
     * Edits and deletions after a seq, over several rooms at once, oldest change first: only of
     * messages the reader already has (id <= that room's lastId). One ordered look-up with a LIMIT
     * (SQLite keeps just the first rows while sorting), so many busy rooms cost no more JS rows.
     */
    changesIn: db.query<MessageRow & { seq: number }, [string, number, number]>(
      `SELECT ${COLUMNS}, m.updated_seq AS seq
         FROM json_each(?) w
         JOIN messages m ON m.room_id = json_extract(w.value, '$[0]') AND m.updated_seq > ? AND m.id <= json_extract(w.value, '$[1]')
         JOIN users u ON u.id = m.author_id LEFT JOIN files f ON f.message_id = m.id
        ORDER BY m.updated_seq LIMIT ?`,
    ),
    // The WHERE lets SQLite read the small partial index of changed messages, not every message.
    maxSeq: db.query<{ seq: number }, []>("SELECT coalesce(max(updated_seq), 0) AS seq FROM messages WHERE updated_seq IS NOT NULL"),
    lastId: db.query<{ id: number }, [number]>("SELECT id FROM messages WHERE room_id = ? ORDER BY id DESC LIMIT 1"),
    markRead: db.query<null, [number, number, number, number]>(
      "UPDATE room_members SET last_read_id = ? WHERE room_id = ? AND user_id = ? AND last_read_id < ?",
    ),
    readState: db.query<{ lastReadId: number; unread: number }, [number, number]>(
      `SELECT m.last_read_id AS lastReadId,
              (SELECT count(*) FROM (SELECT 1 FROM messages u
                 WHERE u.room_id = m.room_id AND u.id > m.last_read_id AND u.author_id != m.user_id AND u.deleted_at IS NULL
                 LIMIT ${UNREAD_CAP})) AS unread
         FROM room_members m WHERE m.room_id = ? AND m.user_id = ?`,
    ),
  };
}

export type MessageQueries = ReturnType<typeof createMessageQueries>;
