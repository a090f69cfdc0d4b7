// Rooms, DMs and membership: typed statements and the reads every room decision needs. Each function
// takes the connection to use (the store's reader, or a command's transaction).
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { MAX_ROOMS_ADDED_BY_OTHERS, MAX_ROOMS_PER_USER, UNREAD_CAP, type PinPolicy, type PublicRoom, type Room, type RoomKind, type RoomMember, type RoomRole, type UserRef } from "../protocol.ts";
import { chatErrors } from "./chat-errors.ts";
import { UNREAD_MENTIONS } from "../messages/message-queries.ts";

/** What every authorization decision about a room needs, from one indexed lookup. */
export interface Access {
  roomId: number;
  kind: RoomKind;
  archivedAt: number | null;
  /** null when the user is not a member. */
  role: RoomRole | null;
}

export interface RoomInfoRow {
  id: number;
  kind: RoomKind;
  name: string;
  topic: string;
  archivedAt: number | null;
  pinPolicy: PinPolicy;
}

type RoomRow = Omit<Room, "participants" | "notify"> & { notifyLevel: Room["notify"]["level"]; mutedUntil: number | null };

const ROOM_COLUMNS = `
  r.id, r.kind, r.name, r.topic, r.created_by AS "createdBy", r.created_at AS "createdAt", r.archived_at AS "archivedAt",
  r.pin_policy AS "pinPolicy", m.role, m.last_read_id AS "lastReadId",
  (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS "memberCount",
  coalesce(lm.id, 0) AS "lastMessageId", lm.created_at AS "lastMessageAt",
  (SELECT count(*) FROM (SELECT 1 FROM messages u
      WHERE u.room_id = r.id AND u.id > m.last_read_id AND u.author_id != m.user_id AND u.deleted_at IS NULL
        AND u.event IS NULL AND (u.thread_root_id IS NULL OR u.also_to_room = 1)
      LIMIT ${UNREAD_CAP}) unread_rows) AS unread,
  ${UNREAD_MENTIONS} AS mentions,
  np.level AS "notifyLevel", np.muted_until AS "mutedUntil"`;

const ROOM_FROM = `
  FROM room_members m
  JOIN rooms r ON r.id = m.room_id
  LEFT JOIN messages lm ON lm.id = (SELECT x.id FROM messages x WHERE x.room_id = r.id ORDER BY x.id DESC LIMIT 1)
  LEFT JOIN room_notification_prefs np ON np.room_id = m.room_id AND np.user_id = m.user_id`;

const MEMBER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", m.role, m.joined_at AS "joinedAt"`;

const q = {
  access: sql<Access, [number, number]>(
    `SELECT r.id AS "roomId", r.kind, r.archived_at AS "archivedAt", m.role
       FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ?
      WHERE r.id = ?`,
  ),
  // Hidden DMs are left out of the list: they come back (room.added) with their next message.
  roomsOf: sql<RoomRow, [number]>(`SELECT ${ROOM_COLUMNS} ${ROOM_FROM} WHERE m.user_id = ? AND m.hidden = 0 ORDER BY r.kind, r.name, r.id`),
  roomOf: sql<RoomRow, [number, number]>(`SELECT ${ROOM_COLUMNS} ${ROOM_FROM} WHERE m.user_id = ? AND m.room_id = ?`),
  roomIdsOf: sql<{ roomId: number }, [number]>(`SELECT room_id AS "roomId" FROM room_members WHERE user_id = ?`),
  // What counts against one's own cap: memberships one made oneself, hidden DMs aside.
  chosenCount: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE user_id = ? AND chosen = 1 AND hidden = 0"),
  addedCount: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE user_id = ? AND chosen = 0"),
  // A page by (name, id) after the cursor's (name, id) (none: from the start), names containing the
  // pattern ASCII-case-insensitively (SQLite's LIKE; Postgres needs ILIKE for the same answer).
  publicRooms: sql<Omit<PublicRoom, "joined"> & { joined: number }, [number, string | null, number, string, number]>({
    sqlite: `SELECT r.id, r.name, r.topic, r.created_at AS "createdAt",
              (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS "memberCount",
              CASE WHEN EXISTS (SELECT 1 FROM room_members j WHERE j.room_id = r.id AND j.user_id = ?1) THEN 1 ELSE 0 END AS joined
         FROM rooms r
        WHERE r.kind = 'public' AND r.archived_at IS NULL
          AND (?2 IS NULL OR (r.name, r.id) > (?2, ?3))
          AND r.name LIKE ?4 ESCAPE '\\'
        ORDER BY r.name, r.id LIMIT ?5`,
    postgres: `SELECT r.id, r.name, r.topic, r.created_at AS "createdAt",
              (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS "memberCount",
              CASE WHEN EXISTS (SELECT 1 FROM room_members j WHERE j.room_id = r.id AND j.user_id = ?1) THEN 1 ELSE 0 END AS joined
         FROM rooms r
        WHERE r.kind = 'public' AND r.archived_at IS NULL
          AND (CAST(?2 AS TEXT) IS NULL OR (r.name, r.id) > (CAST(?2 AS TEXT) COLLATE "C", ?3))
          AND r.name ILIKE ?4 ESCAPE '\\'
        ORDER BY r.name, r.id LIMIT ?5`,
  }),
  // Only a public room may serve as a cursor: a private room's name must not shape anyone's page.
  publicRoomName: sql<{ name: string }, [number]>("SELECT name FROM rooms WHERE id = ? AND kind = 'public'"),
  // A DM's people: its members and those invited who have not answered yet (the opener's DM with
  // someone who has still to accept is named after them).
  participants: sql<UserRef, [number, number]>(
    `SELECT u.id, u.username, u.display_name AS "displayName"
       FROM users u
      WHERE u.id IN (SELECT user_id FROM room_members WHERE room_id = ?) OR u.id IN (SELECT user_id FROM room_requests WHERE room_id = ?)
      ORDER BY u.id`,
  ),
  members: sql<RoomMember, [number]>(
    `SELECT ${MEMBER_COLUMNS} FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username_key`,
  ),
  memberIds: sql<{ userId: number }, [number]>(`SELECT user_id AS "userId" FROM room_members WHERE room_id = ?`),
  member: sql<RoomMember, [number, number]>(
    `SELECT ${MEMBER_COLUMNS} FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? AND m.user_id = ?`,
  ),
  insertRoom: sql<{ id: number }, [string, string, string, number, number, string | null]>(
    "INSERT INTO rooms (kind, name, topic, created_by, created_at, dm_key) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  ),
  insertMember: sql<{ roomId: number }, [number, number, RoomRole, number, number]>(
    `INSERT INTO room_members (room_id, user_id, role, joined_at, chosen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (room_id, user_id) DO NOTHING RETURNING room_id AS "roomId"`,
  ),
  // Made one's own: a room someone added me to, that I then opened or joined myself.
  choose: sql<never, [number, number]>("UPDATE room_members SET chosen = 1, hidden = 0 WHERE room_id = ? AND user_id = ?"),
  hide: sql<{ userId: number }, [number, number]>(`UPDATE room_members SET hidden = 1 WHERE room_id = ? AND user_id = ? AND hidden = 0 RETURNING user_id AS "userId"`),
  unhideAll: sql<{ userId: number }, [number]>(`UPDATE room_members SET hidden = 0 WHERE room_id = ? AND hidden = 1 RETURNING user_id AS "userId"`),
  memberCount: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE room_id = ?"),
  deleteMember: sql<{ role: RoomRole }, [number, number]>("DELETE FROM room_members WHERE room_id = ? AND user_id = ? RETURNING role"),
  ownerCount: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE room_id = ? AND role = 'owner'"),
  promoteEldest: sql<{ userId: number }, [number, number]>(
    `UPDATE room_members SET role = 'owner'
      WHERE room_id = ? AND user_id = (SELECT user_id FROM room_members WHERE room_id = ? ORDER BY joined_at, user_id LIMIT 1)
      RETURNING user_id AS "userId"`,
  ),
  updateRoom: sql<never, [string, string, number | null, PinPolicy, number]>("UPDATE rooms SET name = ?, topic = ?, archived_at = ?, pin_policy = ? WHERE id = ?"),
  roomInfo: sql<RoomInfoRow, [number]>(`SELECT id, kind, name, topic, archived_at AS "archivedAt", pin_policy AS "pinPolicy" FROM rooms WHERE id = ?`),
  dmByKey: sql<{ id: number }, [string]>("SELECT id FROM rooms WHERE dm_key = ?"),
  activeUser: sql<UserRef, [number]>(
    `SELECT id, username, display_name AS "displayName" FROM users WHERE id = ? AND disabled = 0 AND deleted_at IS NULL`,
  ),
};

async function withParticipants(db: Conn, row: RoomRow): Promise<Room> {
  const { notifyLevel, mutedUntil, ...room } = row;
  return { ...room, notify: { level: notifyLevel, mutedUntil }, participants: row.kind === "dm" ? await db.all(q.participants, row.id, row.id) : [] };
}

export const roomQueries = {
  access: (db: Conn, userId: number, roomId: number): Promise<Access | null> => db.get(q.access, userId, roomId),

  /** A member's access; anyone else is refused exactly as for a room that does not exist. */
  async memberAccess(db: Conn, userId: number, roomId: number): Promise<Access> {
    const access = await db.get(q.access, userId, roomId);
    if (!access || access.role === null) throw chatErrors.roomNotFound();
    return access;
  },

  /**
   * Throws too_many_rooms when the user may not make one more room or DM their own (create, join,
   * open, accept). Only rooms they chose count: others cannot fill this for them.
   */
  async assertRoomFor(db: Conn, userId: number): Promise<void> {
    if ((await db.get(q.chosenCount, userId))!.n >= MAX_ROOMS_PER_USER) throw chatErrors.tooManyRooms(true, MAX_ROOMS_PER_USER);
  },

  /** Throws too_many_rooms when people the user knows have already added them to as many rooms as they may. */
  async assertAddableBy(db: Conn, userId: number): Promise<void> {
    if ((await db.get(q.addedCount, userId))!.n >= MAX_ROOMS_ADDED_BY_OTHERS) throw chatErrors.tooManyRooms(false, MAX_ROOMS_ADDED_BY_OTHERS);
  },

  /** The room as `userId` sees it, or null when they are not a member. */
  async roomFor(db: Conn, userId: number, roomId: number): Promise<Room | null> {
    const row = await db.get(q.roomOf, userId, roomId);
    return row ? withParticipants(db, row) : null;
  },

  async roomsFor(db: Conn, userId: number): Promise<Room[]> {
    const rows = await db.all(q.roomsOf, userId);
    const rooms: Room[] = [];
    for (const row of rows) rooms.push(await withParticipants(db, row));
    return rooms;
  },

  async roomIdsOf(db: Conn, userId: number): Promise<number[]> {
    return (await db.all(q.roomIdsOf, userId)).map((r) => r.roomId);
  },

  publicRooms: (db: Conn, userId: number, cursorName: string | null, cursorId: number, pattern: string, limit: number) =>
    db.all(q.publicRooms, userId, cursorName, cursorId, pattern, limit),
  publicRoomName: async (db: Conn, roomId: number) => (await db.get(q.publicRoomName, roomId))?.name ?? null,
  members: (db: Conn, roomId: number): Promise<RoomMember[]> => db.all(q.members, roomId),
  participants: (db: Conn, roomId: number): Promise<UserRef[]> => db.all(q.participants, roomId, roomId),
  async memberIds(db: Conn, roomId: number): Promise<number[]> {
    return (await db.all(q.memberIds, roomId)).map((r) => r.userId);
  },
  member: (db: Conn, roomId: number, userId: number): Promise<RoomMember | null> => db.get(q.member, roomId, userId),
  roomInfo: (db: Conn, roomId: number): Promise<RoomInfoRow | null> => db.get(q.roomInfo, roomId),
  dmByKey: async (db: Conn, key: string) => (await db.get(q.dmByKey, key))?.id ?? null,
  activeUser: (db: Conn, userId: number): Promise<UserRef | null> => db.get(q.activeUser, userId),

  async insertRoom(tx: Tx, kind: RoomKind, name: string, topic: string, createdBy: number, now: number, dmKey: string | null): Promise<number> {
    return (await tx.get(q.insertRoom, kind, name, topic, createdBy, now, dmKey))!.id;
  },
  /** Returns false when the user was already a member. `chosen`: they made it themselves (see assertRoomFor). */
  insertMember: async (tx: Tx, roomId: number, userId: number, role: RoomRole, now: number, chosen = true) =>
    (await tx.get(q.insertMember, roomId, userId, role, now, chosen ? 1 : 0)) !== null,
  choose: async (tx: Tx, roomId: number, userId: number) => void (await tx.run(q.choose, roomId, userId)),
  /** Returns whether the DM was shown before. */
  hide: async (tx: Tx, roomId: number, userId: number) => (await tx.get(q.hide, roomId, userId)) !== null,
  /** Brings a DM back for everyone who had hidden it; returns who. */
  unhideAll: async (tx: Tx, roomId: number) => (await tx.all(q.unhideAll, roomId)).map((r) => r.userId),
  memberCount: async (db: Conn, roomId: number) => (await db.get(q.memberCount, roomId))!.n,

  /** Removes a member; a room keeps an owner while it has members (the longest-standing takes over). */
  async removeMember(tx: Tx, roomId: number, userId: number): Promise<boolean> {
    const removed = await tx.get(q.deleteMember, roomId, userId);
    if (!removed) return false;
    if (removed.role === "owner" && (await tx.get(q.ownerCount, roomId))!.n === 0) await tx.get(q.promoteEldest, roomId, roomId);
    return true;
  },

  updateRoom: async (tx: Tx, roomId: number, name: string, topic: string, archivedAt: number | null, pinPolicy: PinPolicy) =>
    void (await tx.run(q.updateRoom, name, topic, archivedAt, pinPolicy, roomId)),
};
