// Messages and read state: typed statements and the row -> protocol mapping. A message's files are
// read for a whole page at once (attachments.ts), never one statement per message.
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import { UNREAD_CAP, type Message, type PinPolicy, type Reaction, type RoomEventLine, type RoomKind, type RoomRole, type UserRef } from "../protocol.ts";
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
  rev: number | null;
  threadRootId: number | null;
  alsoToRoom: number;
  /** System lines: the JSON of what happened, and the person it happened to. */
  event: string | null;
  eventUserId: number | null;
  eventUsername: string | null;
  eventDisplayName: string | null;
  eventUserDeleted: number;
  /** The quoted message, when this one quotes. */
  quoteId: number | null;
  quoteSnippet: string | null;
  quoteDeletedAt: number | null;
  quoteRootId: number | null;
  quoteAuthorId: number | null;
  quoteUsername: string | null;
  quoteDisplayName: string | null;
  quoteAuthorDeleted: number;
  /** JSON of Reaction[] (without `mine`), null when none. */
  reactions: string | null;
  replyCount: number;
  lastReplyId: number | null;
  lastReplyAt: number | null;
  p1: number | null;
  p2: number | null;
  p3: number | null;
  pinnedAt: number | null;
  pinnedById: number | null;
  pinnedByUsername: string | null;
  pinnedByDisplayName: string | null;
  pinnedByDeleted: number;
}

/** What acting on a message must know: who wrote it, where, what it is, and whether the actor is in there. */
export interface MessageTarget {
  id: number;
  roomId: number;
  authorId: number;
  deletedAt: number | null;
  kind: RoomKind;
  archivedAt: number | null;
  role: RoomRole | null;
  pinPolicy: PinPolicy;
  threadRootId: number | null;
  /** 1 for a system line. */
  isEvent: number;
  replyCount: number;
  pinnedAt: number | null;
  reactions: string | null;
}

const deletedFlag = (alias: string) => `CASE WHEN ${alias}.deleted_at IS NOT NULL THEN 1 ELSE 0 END`;

/** A message row's columns and joins (`m`, `u`, ...), for statements elsewhere that read whole messages (search). */
export const COLUMNS = `m.id, m.room_id AS "roomId", m.author_id AS "authorId", u.username, u.display_name AS "displayName",
  ${deletedFlag("u")} AS "authorDeleted",
  m.client_id AS "clientId", m.body, m.created_at AS "createdAt", m.edited_at AS "editedAt", m.deleted_at AS "deletedAt",
  (SELECT count(*) FROM files f WHERE f.message_id = m.id) AS "fileCount", m.mentions,
  m.updated_seq AS "rev", m.thread_root_id AS "threadRootId", m.also_to_room AS "alsoToRoom",
  m.event, m.event_user_id AS "eventUserId", eu.username AS "eventUsername", eu.display_name AS "eventDisplayName",
  ${deletedFlag("eu")} AS "eventUserDeleted",
  m.quote_id AS "quoteId", substr(q.body, 1, 200) AS "quoteSnippet", q.deleted_at AS "quoteDeletedAt", q.thread_root_id AS "quoteRootId",
  q.author_id AS "quoteAuthorId", qu.username AS "quoteUsername", qu.display_name AS "quoteDisplayName", ${deletedFlag("qu")} AS "quoteAuthorDeleted",
  m.reactions, m.reply_count AS "replyCount", m.last_reply_id AS "lastReplyId", m.last_reply_at AS "lastReplyAt",
  m.thread_p1 AS p1, m.thread_p2 AS p2, m.thread_p3 AS p3,
  m.pinned_at AS "pinnedAt", m.pinned_by AS "pinnedById", pu.username AS "pinnedByUsername", pu.display_name AS "pinnedByDisplayName",
  ${deletedFlag("pu")} AS "pinnedByDeleted"`;
// Every join but the author's is on a column that is null for most messages: a probe that finds nothing.
// A message's files are counted here and read for a whole page at once (toMessages).
const JOINS = `JOIN users u ON u.id = m.author_id
  LEFT JOIN users eu ON eu.id = m.event_user_id
  LEFT JOIN messages q ON q.id = m.quote_id LEFT JOIN users qu ON qu.id = q.author_id
  LEFT JOIN users pu ON pu.id = m.pinned_by`;
export const FROM = `FROM messages m ${JOINS}`;
/** For other modules' statements that return whole messages (mentions/mention-queries.ts). */
export { COLUMNS as MESSAGE_COLUMNS, FROM as MESSAGE_FROM };

/** In the room's timeline: top-level messages and replies also sent to the room. */
const IN_TIMELINE = "(m.thread_root_id IS NULL OR m.also_to_room = 1)";
/** Shown: not deleted, or a deleted root whose replies keep a placeholder. */
const SHOWN = "(m.deleted_at IS NULL OR m.reply_count > 0)";

function userRef(id: number, username: string, displayName: string | null, deleted: number): UserRef {
  return { id, username, displayName, ...(deleted ? { deleted: true as const } : {}) };
}

export function parseReactions(json: string | null): Reaction[] {
  if (json === null) return [];
  return JSON.parse(json) as Reaction[];
}

/**
 * Unread messages that mention the member `m` of room `m.room_id` (the `@2` badge), capped like
 * unread counts. One index range (message_mentions_by_user) per room.
 */
export const UNREAD_MENTIONS = `(SELECT count(*) FROM (SELECT 1 FROM message_mentions mm JOIN messages mx ON mx.id = mm.message_id
    WHERE mm.user_id = m.user_id AND mm.room_id = m.room_id AND mm.message_id > m.last_read_id AND mm.active = 1 AND mx.deleted_at IS NULL
    LIMIT ${UNREAD_CAP}) mention_rows)`;

/**
 * The message as everyone sees it, without its files (see toMessages). Thread participants come as
 * bare ids here (`participants` is filled by decorate.ts, which looks their names up for a whole page
 * at once); reactions carry no `mine` until a reader's answer adds it.
 */
export function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.id,
    roomId: row.roomId,
    author: userRef(row.authorId, row.username, row.displayName, row.authorDeleted),
    clientId: row.clientId,
    body: row.body,
    createdAt: row.createdAt,
  };
  // Absent when nobody is mentioned (most messages), like the times below.
  const mentions = row.mentions ? (JSON.parse(row.mentions) as number[]) : [];
  if (mentions.length > 0) message.mentions = mentions;
  if (row.editedAt !== null) message.editedAt = row.editedAt;
  if (row.deletedAt !== null) message.deletedAt = row.deletedAt;
  if (row.rev !== null) message.rev = row.rev;
  if (row.threadRootId !== null) message.threadRootId = row.threadRootId;
  if (row.alsoToRoom) message.alsoToRoom = true;
  if (row.event !== null) message.event = toEventLine(row);
  if (row.quoteId !== null && row.quoteAuthorId !== null) {
    message.quote = {
      id: row.quoteId,
      author: userRef(row.quoteAuthorId, row.quoteUsername!, row.quoteDisplayName, row.quoteAuthorDeleted),
      snippet: row.quoteDeletedAt === null ? (row.quoteSnippet ?? "") : "",
      ...(row.quoteDeletedAt !== null ? { deleted: true as const } : {}),
      ...(row.quoteRootId !== null ? { threadRootId: row.quoteRootId } : {}),
    };
  }
  if (row.reactions !== null && row.deletedAt === null) message.reactions = parseReactions(row.reactions);
  if (row.replyCount > 0) {
    message.thread = { replyCount: row.replyCount, lastReplyId: row.lastReplyId, lastReplyAt: row.lastReplyAt, participants: [] };
  }
  if (row.pinnedAt !== null) {
    message.pinned = {
      at: row.pinnedAt,
      by: row.pinnedById === null ? null : userRef(row.pinnedById, row.pinnedByUsername!, row.pinnedByDisplayName, row.pinnedByDeleted),
    };
  }
  return message;
}

function toEventLine(row: MessageRow): RoomEventLine {
  const stored = JSON.parse(row.event!) as { kind: RoomEventLine["kind"]; name?: string; topic?: string };
  const subject = () =>
    row.eventUserId === null ? { id: 0, username: "", displayName: null, deleted: true as const } : userRef(row.eventUserId, row.eventUsername!, row.eventDisplayName, row.eventUserDeleted);
  switch (stored.kind) {
    case "added":
    case "removed":
      return { kind: stored.kind, user: subject() };
    case "renamed":
      return { kind: "renamed", name: stored.name ?? "" };
    case "topic":
      return { kind: "topic", topic: stored.topic ?? "" };
    default:
      return { kind: stored.kind };
  }
}

/** The participant ids a row names (decorate.ts turns them into UserRefs). */
export const participantIds = (row: Pick<MessageRow, "p1" | "p2" | "p3">): number[] =>
  [row.p1, row.p2, row.p3].filter((id): id is number => id !== null);

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
  insert: sql<{ id: number }, [number, number, string, string, number, number | null, number, number | null, string | null]>(
    `INSERT INTO messages (room_id, author_id, client_id, body, created_at, thread_root_id, also_to_room, quote_id, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (client_id, author_id) DO NOTHING RETURNING id`,
  ),
  /** A system line (rooms/system-lines.ts). */
  insertEvent: sql<{ id: number }, [number, number, string, number, string, number | null]>(
    `INSERT INTO messages (room_id, author_id, client_id, body, created_at, event, event_user_id) VALUES (?, ?, ?, '', ?, ?, ?) RETURNING id`,
  ),
  byClientId: sql<MessageRow, [number, string]>(`SELECT ${COLUMNS} ${FROM} WHERE m.author_id = ? AND m.client_id = ?`),
  one: sql<MessageRow, [number]>(`SELECT ${COLUMNS} ${FROM} WHERE m.id = ?`),
  target: sql<MessageTarget, [number, number]>(
    `SELECT m.id, m.room_id AS "roomId", m.author_id AS "authorId", m.deleted_at AS "deletedAt",
            r.kind, r.archived_at AS "archivedAt", mem.role, r.pin_policy AS "pinPolicy",
            m.thread_root_id AS "threadRootId", CASE WHEN m.event IS NULL THEN 0 ELSE 1 END AS "isEvent",
            m.reply_count AS "replyCount", m.pinned_at AS "pinnedAt", m.reactions
       FROM messages m JOIN rooms r ON r.id = m.room_id
       LEFT JOIN room_members mem ON mem.room_id = m.room_id AND mem.user_id = ?
      WHERE m.id = ?`,
  ),
  edit: sql<never, [string, string | null, number, number, number]>(
    "UPDATE messages SET body = ?, mentions = ?, edited_at = ?, updated_seq = ? WHERE id = ?",
  ),
  // The text is really gone, not hidden: deleting means the server no longer holds it. Its mentions,
  // reactions and pin go with it (the thread summary stays: the replies keep a placeholder).
  erase: sql<never, [number, number, number]>(
    "UPDATE messages SET body = '', mentions = NULL, deleted_at = ?, updated_seq = ?, reactions = NULL, pinned_at = NULL, pinned_by = NULL WHERE id = ?",
  ),
  dropReactions: sql<never, [number]>("DELETE FROM reactions WHERE message_id = ?"),
  /** A change that is not an edit (reaction, pin, thread): the message's new `rev`. */
  touch: sql<never, [number, number]>("UPDATE messages SET updated_seq = ? WHERE id = ?"),
  /** Newest first, older than `before`, in the room's timeline. */
  page: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id < ? AND ${IN_TIMELINE} AND ${SHOWN} ORDER BY m.id DESC LIMIT ?`,
  ),
  /** Oldest first, newer than `after`, in the room's timeline. */
  after: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.id > ? AND ${IN_TIMELINE} AND ${SHOWN} ORDER BY m.id ASC LIMIT ?`,
  ),
  /** A thread's replies, newest first, older than `before`. */
  threadPage: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.thread_root_id = ? AND m.id < ? AND m.deleted_at IS NULL ORDER BY m.id DESC LIMIT ?`,
  ),
  /** A thread's replies, oldest first, newer than `after`. */
  threadAfter: sql<MessageRow, [number, number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.thread_root_id = ? AND m.id > ? AND m.deleted_at IS NULL ORDER BY m.id ASC LIMIT ?`,
  ),
  /** Pinned messages of a room, the most recently pinned first (messages_pinned). */
  pinned: sql<MessageRow, [number, number]>(
    `SELECT ${COLUMNS} ${FROM} WHERE m.room_id = ? AND m.pinned_at IS NOT NULL ORDER BY m.pinned_at DESC, m.id DESC LIMIT ?`,
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
              WHERE EXISTS (SELECT 1 FROM messages m WHERE m.room_id = rm.room_id AND m.id > json_extract(w.value, '$[1]') AND m.deleted_at IS NULL AND ${IN_TIMELINE})
              ORDER BY w.key`,
    postgres: `SELECT (w.value->>0)::bigint AS "roomId", (w.value->>1)::bigint AS "lastId"
                 FROM jsonb_array_elements(CAST(?1 AS jsonb)) WITH ORDINALITY AS w(value, ord)
                 JOIN room_members rm ON rm.room_id = (w.value->>0)::bigint AND rm.user_id = ?2
                WHERE EXISTS (SELECT 1 FROM messages m WHERE m.room_id = rm.room_id AND m.id > (w.value->>1)::bigint AND m.deleted_at IS NULL AND ${IN_TIMELINE})
                ORDER BY w.ord`,
  }),
  /**
   * Changes after a seq (edits, deletions, reactions, pins, replies in a thread), over several rooms
   * at once, oldest change first: only of messages the reader already has (id <= that room's lastId).
   * One ordered look-up with a LIMIT: the ids are picked from the index first, and only those rows
   * are joined to their authors and files (joining every remaining change before the sort made each
   * call cost all of them). Replies count too: an open thread applies them.
   */
  changesIn: sql<MessageRow & { seq: number }, [[number, number][], number, number]>({
    sqlite: `WITH picked AS (
               SELECT m.id, m.updated_seq AS seq
                 FROM json_each(?) w
                 JOIN messages m ON m.room_id = json_extract(w.value, '$[0]') AND m.updated_seq > ? AND m.id <= json_extract(w.value, '$[1]')
                ORDER BY m.updated_seq LIMIT ?)
             SELECT ${COLUMNS}, p.seq
               FROM picked p JOIN messages m ON m.id = p.id
               ${JOINS}
              ORDER BY p.seq`,
    postgres: `WITH picked AS (
                 SELECT m.id, m.updated_seq AS seq
                   FROM jsonb_array_elements(CAST(? AS jsonb)) AS w(value)
                   JOIN messages m ON m.room_id = (w.value->>0)::bigint AND m.updated_seq > ? AND m.id <= (w.value->>1)::bigint
                  ORDER BY m.updated_seq LIMIT ?)
               SELECT ${COLUMNS}, p.seq
                 FROM picked p JOIN messages m ON m.id = p.id
                 ${JOINS}
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
                 AND u.event IS NULL AND (u.thread_root_id IS NULL OR u.also_to_room = 1)
               LIMIT ${UNREAD_CAP}) unread_rows) AS unread,
            ${UNREAD_MENTIONS} AS mentions
       FROM room_members m WHERE m.room_id = ? AND m.user_id = ?`,
  ),
  /** Names for thread participants (decorate.ts). */
  usersByIds: sql<{ id: number; username: string; displayName: string | null; deleted: number }, [number[]]>({
    sqlite: `SELECT id, username, display_name AS "displayName", ${deletedFlag("users")} AS deleted FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    postgres: `SELECT id, username, display_name AS "displayName", ${deletedFlag("users")} AS deleted FROM users WHERE id = ANY(?::bigint[])`,
  }),
  /** Which of these messages the user reacted to with which emoji (decorate.ts, for the few lists cut short). */
  myReactions: sql<{ messageId: number; emoji: string }, [number, number[]]>({
    sqlite: `SELECT message_id AS "messageId", emoji FROM reactions WHERE user_id = ? AND message_id IN (SELECT value FROM json_each(?))`,
    postgres: `SELECT message_id AS "messageId", emoji FROM reactions WHERE user_id = ? AND message_id = ANY(?::bigint[])`,
  }),
};
