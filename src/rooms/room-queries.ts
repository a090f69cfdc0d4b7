// Prepared statements for rooms, DMs and membership, created once per database.
import type { Database } from "bun:sqlite";
import { chatErrors } from "./chat-errors.ts";
import { MAX_ROOMS_PER_USER, UNREAD_CAP, type PublicRoom, type Room, type RoomKind, type RoomRole, type UserRef } from "../protocol.ts";

/** What every authorization decision about a room needs, from one indexed lookup. */
export interface Access {
  roomId: number;
  kind: RoomKind;
  archivedAt: number | null;
  /** null when the user is not a member. */
  role: RoomRole | null;
}

export interface MemberRow extends UserRef {
  role: RoomRole;
  joinedAt: number;
}

type RoomRow = Omit<Room, "participants">;

const ROOM_COLUMNS = `
  r.id, r.kind, r.name, r.topic, r.created_by AS createdBy, r.created_at AS createdAt, r.archived_at AS archivedAt,
  m.role, m.last_read_id AS lastReadId,
  (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS memberCount,
  coalesce(lm.id, 0) AS lastMessageId, lm.created_at AS lastMessageAt,
  (SELECT count(*) FROM (SELECT 1 FROM messages u
      WHERE u.room_id = r.id AND u.id > m.last_read_id AND u.author_id != m.user_id AND u.deleted_at IS NULL
      LIMIT ${UNREAD_CAP})) AS unread`;

const ROOM_FROM = `
  FROM room_members m
  JOIN rooms r ON r.id = m.room_id
  LEFT JOIN messages lm ON lm.id = (SELECT x.id FROM messages x WHERE x.room_id = r.id ORDER BY x.id DESC LIMIT 1)`;

export function createRoomQueries(db: Database) {
  const q = {
    accessRow: db.query<{ roomId: number; kind: RoomKind; archivedAt: number | null; role: RoomRole | null }, [number, number]>(
      `SELECT r.id AS roomId, r.kind, r.archived_at AS archivedAt, m.role
         FROM rooms r LEFT JOIN room_members m ON m.room_id = r.id AND m.user_id = ?
        WHERE r.id = ?`,
    ),
    roomsOf: db.query<RoomRow, [number]>(`SELECT ${ROOM_COLUMNS} ${ROOM_FROM} WHERE m.user_id = ? ORDER BY r.kind, r.name, r.id`),
    roomOf: db.query<RoomRow, [number, number]>(`SELECT ${ROOM_COLUMNS} ${ROOM_FROM} WHERE m.user_id = ? AND m.room_id = ?`),
    roomIdsOf: db.query<{ roomId: number }, [number]>("SELECT room_id AS roomId FROM room_members WHERE user_id = ?"),
    membershipCount: db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE user_id = ?"),
    // A page by (name, id) after the cursor's (name, id) (none: from the start), names LIKE the pattern.
    publicRooms: db.query<Omit<PublicRoom, "joined"> & { joined: number }, [number, string | null, number, string, number]>(
      `SELECT r.id, r.name, r.topic, r.created_at AS createdAt,
              (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS memberCount,
              EXISTS (SELECT 1 FROM room_members j WHERE j.room_id = r.id AND j.user_id = ?1) AS joined
         FROM rooms r
        WHERE r.kind = 'public' AND r.archived_at IS NULL
          AND (?2 IS NULL OR (r.name, r.id) > (?2, ?3))
          AND r.name LIKE ?4 ESCAPE '\\'
        ORDER BY r.name, r.id LIMIT ?5`,
    ),
    // Only a public room may serve as a cursor: a private room's name must not shape anyone's page.
    publicRoomName: db.query<{ name: string }, [number]>("SELECT name FROM rooms WHERE id = ? AND kind = 'public'"),
    participants: db.query<UserRef, [number]>(
      `SELECT u.id, u.username, u.display_name AS displayName
         FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.id`,
    ),
    members: db.query<MemberRow, [number]>(
      `SELECT u.id, u.username, u.display_name AS displayName, m.role, m.joined_at AS joinedAt
         FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username_key`,
    ),
    member: db.query<MemberRow, [number, number]>(
      `SELECT u.id, u.username, u.display_name AS displayName, m.role, m.joined_at AS joinedAt
         FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? AND m.user_id = ?`,
    ),
    insertRoom: db.query<{ id: number }, [string, string, string, number, number, string | null]>(
      "INSERT INTO rooms (kind, name, topic, created_by, created_at, dm_key) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    ),
    insertMember: db.query<{ roomId: number }, [number, number, RoomRole, number]>(
      `INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (room_id, user_id) DO NOTHING RETURNING room_id AS roomId`,
    ),
    deleteMember: db.query<{ role: RoomRole }, [number, number]>(
      "DELETE FROM room_members WHERE room_id = ? AND user_id = ? RETURNING role",
    ),
    ownerCount: db.query<{ n: number }, [number]>("SELECT count(*) AS n FROM room_members WHERE room_id = ? AND role = 'owner'"),
    promoteEldest: db.query<{ userId: number }, [number, number]>(
      `UPDATE room_members SET role = 'owner'
        WHERE room_id = ? AND user_id = (SELECT user_id FROM room_members WHERE room_id = ? ORDER BY joined_at, user_id LIMIT 1)
        RETURNING user_id AS userId`,
    ),
    updateRoom: db.query<null, [string, string, number | null, number]>(
      "UPDATE rooms SET name = ?, topic = ?, archived_at = ? WHERE id = ?",
    ),
    roomInfo: db.query<{ id: number; kind: RoomKind; name: string; topic: string; archivedAt: number | null }, [number]>(
      "SELECT id, kind, name, topic, archived_at AS archivedAt FROM rooms WHERE id = ?",
    ),
    dmByKey: db.query<{ id: number }, [string]>("SELECT id FROM rooms WHERE dm_key = ?"),
    activeUser: db.query<UserRef, [number]>(
      `SELECT id, username, display_name AS displayName FROM users
        WHERE id = ? AND disabled = 0 AND deleted_at IS NULL`,
    ),
    coMembers: db.query<{ userId: number }, [number]>(
      `SELECT DISTINCT o.user_id AS userId FROM room_members mine
         JOIN room_members o ON o.room_id = mine.room_id WHERE mine.user_id = ?`,
    ),
  };

  /** The room as `userId` sees it, or null when they are not a member. */
  function roomFor(userId: number, roomId: number): Room | null {
    const row = q.roomOf.get(userId, roomId);
    return row ? withParticipants(row) : null;
  }

  function withParticipants(row: RoomRow): Room {
    return { ...row, participants: row.kind === "dm" ? q.participants.all(row.id) : [] };
  }

  return {
    ...q,
    /** Throws too_many_rooms when the user may not join one more room or DM. */
    assertRoomFor(userId: number, self: boolean): void {
      if (q.membershipCount.get(userId)!.n >= MAX_ROOMS_PER_USER) throw chatErrors.tooManyRooms(self, MAX_ROOMS_PER_USER);
    },
    access(userId: number, roomId: number): Access | null {
      return q.accessRow.get(userId, roomId);
    },
    /** A member's access; anyone else is refused exactly as for a room that does not exist. */
    memberAccess(userId: number, roomId: number): Access {
      const access = q.accessRow.get(userId, roomId);
      if (!access || access.role === null) throw chatErrors.roomNotFound();
      return access;
    },
    roomFor,
    roomsFor(userId: number): Room[] {
      return q.roomsOf.all(userId).map(withParticipants);
    },
  };
}

export type RoomQueries = ReturnType<typeof createRoomQueries>;
