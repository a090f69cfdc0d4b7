// Mentions: typed statements for resolving names among a room's members, recording who was
// mentioned, the badge counts and the Mentions view.
import { sql } from "../db/query.ts";
import type { MessageRow } from "../messages/message-queries.ts";
import { MESSAGE_COLUMNS, MESSAGE_FROM } from "../messages/message-queries.ts";

export const mentionSql = {
  /**
   * Active members of the room whose username key or skeleton is one of those given. Found from the
   * names (two unique indexes), then checked for membership: going through the room's members instead
   * read every one of them for every message with an @ (~70 µs a message in a room of 200).
   */
  membersNamed: sql<{ id: number }, [number, string[], string[]]>({
    sqlite: `SELECT u.id FROM users u
              WHERE u.id IN (SELECT id FROM users WHERE username_key IN (SELECT value FROM json_each(?2))
                             UNION SELECT id FROM users WHERE skeleton IN (SELECT value FROM json_each(?3)))
                AND u.deleted_at IS NULL AND u.disabled = 0
                AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = ?1 AND m.user_id = u.id)
              ORDER BY u.id`,
    postgres: `SELECT u.id FROM users u
                WHERE (u.username_key = ANY(?2::text[]) OR u.skeleton = ANY(?3::text[]))
                  AND u.deleted_at IS NULL AND u.disabled = 0
                  AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = ?1 AND m.user_id = u.id)
                ORDER BY u.id`,
  }),
  /** Every active member but one (the author), for `@room`; LIMIT keeps a huge room from being read whole. */
  everyoneBut: sql<{ id: number }, [number, number, number]>(
    `SELECT u.id FROM room_members m JOIN users u ON u.id = m.user_id
      WHERE m.room_id = ? AND m.user_id != ? AND u.deleted_at IS NULL AND u.disabled = 0 ORDER BY u.id LIMIT ?`,
  ),
  memberCount: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE room_id = ?"),
  insert: sql<never, [number, number, number]>(
    "INSERT INTO message_mentions (message_id, user_id, room_id, active) VALUES (?, ?, ?, 1) ON CONFLICT (message_id, user_id) DO NOTHING",
  ),
  ofMessage: sql<{ userId: number; active: number }, [number]>(
    `SELECT user_id AS "userId", active FROM message_mentions WHERE message_id = ?`,
  ),
  setActive: sql<never, [number, number, number]>("UPDATE message_mentions SET active = ? WHERE message_id = ? AND user_id = ?"),
  /**
   * The Mentions view: newest first, before a message id, only in rooms I am still a member of (a
   * room I left shows nothing of itself), never deleted messages.
   */
  recent: sql<MessageRow, [number, number, number]>(
    `SELECT ${MESSAGE_COLUMNS} ${MESSAGE_FROM}
       JOIN message_mentions mm ON mm.message_id = m.id
       JOIN room_members rm ON rm.room_id = mm.room_id AND rm.user_id = mm.user_id
      WHERE mm.user_id = ? AND mm.active = 1 AND m.id < ? AND m.deleted_at IS NULL
      ORDER BY m.id DESC LIMIT ?`,
  ),
};
