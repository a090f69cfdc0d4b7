// Threads: the root's summary kept on its row, who follows a thread and how far they have read it.
import { sql } from "../db/query.ts";
import { UNREAD_CAP } from "../protocol.ts";

export interface SummaryRow {
  replyCount: number;
  lastReplyId: number | null;
  lastReplyAt: number | null;
  p1: number | null;
  p2: number | null;
  p3: number | null;
}

const SUMMARY = `reply_count AS "replyCount", last_reply_id AS "lastReplyId", last_reply_at AS "lastReplyAt",
  thread_p1 AS p1, thread_p2 AS p2, thread_p3 AS p3`;

/** Replies by others after the reader's mark, not deleted, counted up to UNREAD_CAP. */
const UNREAD = (follow: string) => `(SELECT count(*) FROM (SELECT 1 FROM messages r
    WHERE r.thread_root_id = ${follow}.root_id AND r.id > ${follow}.last_read_id AND r.author_id != ${follow}.user_id AND r.deleted_at IS NULL
    LIMIT ${UNREAD_CAP}) unread_rows)`;

export const threadSql = {
  /**
   * One more reply on the root's row, in one statement: count, last reply, and the three most recent
   * repliers, newest first (SET expressions read the row as it was, in both engines).
   */
  addReply: sql<SummaryRow, [number, number, number, number, number]>(
    `UPDATE messages SET reply_count = reply_count + 1, last_reply_id = ?, last_reply_at = ?,
        thread_p3 = CASE WHEN thread_p1 = ?3 OR thread_p2 = ?3 THEN thread_p3 ELSE thread_p2 END,
        thread_p2 = CASE WHEN thread_p1 = ?3 THEN thread_p2 ELSE thread_p1 END,
        thread_p1 = ?3, updated_seq = ?4
      WHERE id = ?5
      RETURNING ${SUMMARY}`,
  ),
  /** The replies left, newest first (bounded: only the three most recent distinct authors matter). */
  recentReplies: sql<{ id: number; authorId: number; createdAt: number }, [number, number]>(
    `SELECT id, author_id AS "authorId", created_at AS "createdAt" FROM messages
      WHERE thread_root_id = ? AND deleted_at IS NULL ORDER BY id DESC LIMIT ?`,
  ),
  replyCount: sql<{ n: number }, [number]>(`SELECT count(*) AS n FROM messages WHERE thread_root_id = ? AND deleted_at IS NULL`),
  setSummary: sql<SummaryRow, [number, number | null, number | null, number | null, number | null, number | null, number, number]>(
    `UPDATE messages SET reply_count = ?, last_reply_id = ?, last_reply_at = ?, thread_p1 = ?, thread_p2 = ?, thread_p3 = ?, updated_seq = ?
      WHERE id = ? RETURNING ${SUMMARY}`,
  ),
  /** The replier follows and has read up to their reply; a mark never moves back. */
  follow: sql<never, [number, number, number, number]>(
    `INSERT INTO thread_follows (user_id, root_id, room_id, last_read_id) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, root_id) DO UPDATE SET last_read_id = CASE WHEN excluded.last_read_id > thread_follows.last_read_id
       THEN excluded.last_read_id ELSE thread_follows.last_read_id END`,
  ),
  /** The root's author follows from the first reply on, with nothing read yet. */
  followFromStart: sql<never, [number, number, number]>(
    `INSERT INTO thread_follows (user_id, root_id, room_id, last_read_id) VALUES (?, ?, ?, 0) ON CONFLICT (user_id, root_id) DO NOTHING`,
  ),
  readState: sql<{ lastReadId: number; unread: number }, [number, number]>(
    `SELECT f.last_read_id AS "lastReadId", ${UNREAD("f")} AS unread FROM thread_follows f WHERE f.user_id = ? AND f.root_id = ?`,
  ),
  /**
   * The threads I follow in rooms I still belong to, the latest reply first, with my unread count;
   * the root's columns are read by the caller (one statement per page either way).
   */
  followed: sql<{ rootId: number; roomId: number; lastReadId: number; unread: number }, [number, number, number]>(
    `SELECT f.root_id AS "rootId", f.room_id AS "roomId", f.last_read_id AS "lastReadId", ${UNREAD("f")} AS unread
       FROM thread_follows f
       JOIN room_members rm ON rm.room_id = f.room_id AND rm.user_id = f.user_id
       JOIN messages root ON root.id = f.root_id
      WHERE f.user_id = ? AND coalesce(root.last_reply_id, 0) < ?
        AND (root.deleted_at IS NULL OR root.reply_count > 0)
      ORDER BY coalesce(root.last_reply_id, 0) DESC LIMIT ?`,
  ),
};
