// Room bans: a banned user is removed from the room and cannot join it again (a public room) or be
// added back, until an owner or admin lifts the ban. Statements only; decisions live in moderation.ts
// and in rooms.ts (join, invite), which ask isBanned inside their own transactions.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";

export interface RoomBan {
  userId: number;
  username: string;
  displayName: string | null;
  bannedBy: number | null;
  bannedAt: number;
  reason: string;
}

const q = {
  banned: sql<{ found: number }, [number, number]>("SELECT 1 AS found FROM room_bans WHERE room_id = ? AND user_id = ?"),
  insert: sql<never, [number, number, number, number, string]>(
    `INSERT INTO room_bans (room_id, user_id, banned_by, banned_at, reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (room_id, user_id) DO UPDATE SET banned_by = excluded.banned_by, banned_at = excluded.banned_at, reason = excluded.reason`,
  ),
  remove: sql<{ userId: number }, [number, number]>(`DELETE FROM room_bans WHERE room_id = ? AND user_id = ? RETURNING user_id AS "userId"`),
  list: sql<RoomBan, [number]>(
    `SELECT b.user_id AS "userId", u.username, u.display_name AS "displayName", b.banned_by AS "bannedBy", b.banned_at AS "bannedAt", b.reason
       FROM room_bans b JOIN users u ON u.id = b.user_id WHERE b.room_id = ? ORDER BY b.banned_at DESC, b.user_id LIMIT 500`,
  ),
};

export const bans = {
  isBanned: async (db: Conn, roomId: number, userId: number) => (await db.get(q.banned, roomId, userId)) !== null,
  insert: async (tx: Tx, roomId: number, userId: number, by: number, at: number, reason: string) => void (await tx.run(q.insert, roomId, userId, by, at, reason)),
  remove: async (tx: Tx, roomId: number, userId: number) => (await tx.get(q.remove, roomId, userId)) !== null,
  list: (db: Conn, roomId: number) => db.all(q.list, roomId),
};
