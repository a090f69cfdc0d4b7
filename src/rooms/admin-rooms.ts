// An administrator's tools for one person's rooms (issue 21 §4): see every room, DM and invitation
// they are in, and take them out of many at once (a flood of rooms pushed onto them, a departing
// colleague). One command per removal, audited, announced like any other removal.
import { appendAudit } from "../accounts/audit.ts";
import { users } from "../accounts/users.ts";
import { errors } from "../errors.ts";
import { sql } from "../db/query.ts";
import { command, type Store } from "../db/store.ts";
import { MAX_PENDING_REQUESTS, MAX_ROOMS_ADDED_BY_OTHERS, MAX_ROOMS_PER_USER, type RoomKind, type UserRef } from "../protocol.ts";
import { announceLeft } from "./announce.ts";
import { chatErrors } from "./chat-errors.ts";
import { consent } from "./consent.ts";
import { roomQueries } from "./room-queries.ts";

/** Every membership and request one person can have (the caps), so one call names them all. */
export const MAX_BULK_ROOMS = MAX_ROOMS_PER_USER + MAX_ROOMS_ADDED_BY_OTHERS + MAX_PENDING_REQUESTS;

/** One of a person's rooms as the admin tool lists it. */
export interface UserRoom {
  id: number;
  kind: RoomKind;
  /** "" for DMs: see participants. */
  name: string;
  /** DMs: everyone in it. */
  participants: UserRef[];
  memberCount: number;
  /** "member" (their own choice), "added" (by someone they know), "hidden" (a DM put away) or "invited" (a request). */
  status: "member" | "added" | "hidden" | "invited";
  since: number;
  createdBy: number | null;
}

interface Row {
  id: number;
  kind: RoomKind;
  name: string;
  memberCount: number;
  chosen: number | null;
  hidden: number | null;
  since: number;
  createdBy: number | null;
}

const q = {
  rooms: sql<Row, [number, number, number]>(
    `SELECT r.id, r.kind, r.name, r.created_by AS "createdBy", m.joined_at AS since, m.chosen, m.hidden,
            (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS "memberCount"
       FROM room_members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ?
     UNION ALL
     SELECT r.id, r.kind, r.name, r.created_by AS "createdBy", q.created_at AS since, NULL AS chosen, NULL AS hidden,
            (SELECT count(*) FROM room_members c WHERE c.room_id = r.id) AS "memberCount"
       FROM room_requests q JOIN rooms r ON r.id = q.room_id WHERE q.user_id = ?
     ORDER BY since DESC, id DESC LIMIT ?`,
  ),
  user: sql<{ username: string }, [number]>("SELECT username FROM users WHERE id = ? AND deleted_at IS NULL"),
};

const removeFromRooms = command(
  "admin.removeFromRooms",
  async (tx, input: { actor: { userId: number; ip: string | null }; userId: number; roomIds: number[] }): Promise<{ removed: number; withdrawn: number }> => {
    // Admin rights confirmed in the transaction that uses them (a demotion on another node counts at once).
    if (!(await users.isActiveAdmin(tx, input.actor.userId))) throw errors.forbidden("admin_only", "Only an administrator can do this.");
    const user = await tx.get(q.user, input.userId);
    if (!user) throw chatErrors.userNotFound();
    let removed = 0;
    let withdrawn = 0;
    for (const roomId of new Set(input.roomIds)) {
      if (await roomQueries.removeMember(tx, roomId, input.userId)) {
        await announceLeft(tx, input.userId, roomId, "removed");
        removed++;
      } else if (await consent.removeRequest(tx, input.userId, roomId, "withdrawn")) withdrawn++;
    }
    await appendAudit(tx, "user_removed_from_rooms", {
      actorId: input.actor.userId,
      target: user.username,
      ip: input.actor.ip,
      detail: { userId: input.userId, removed, withdrawn },
    });
    return { removed, withdrawn };
  },
);

export function createAdminRooms({ store }: { store: Store }) {
  const db = store.read;
  return {
    async list(userId: number): Promise<UserRoom[]> {
      if (!(await db.get(q.user, userId))) throw chatErrors.userNotFound();
      const rows = await db.all(q.rooms, userId, userId, MAX_BULK_ROOMS);
      const rooms: UserRoom[] = [];
      for (const row of rows) {
        const status = row.chosen === null ? "invited" : row.hidden === 1 ? "hidden" : row.chosen === 1 ? "member" : "added";
        const participants = row.kind === "dm" ? await roomQueries.participants(db, row.id) : [];
        rooms.push({ id: row.id, kind: row.kind, name: row.name, participants, memberCount: row.memberCount, status, since: row.since, createdBy: row.createdBy });
      }
      return rooms;
    },

    /** Takes the user out of `roomIds` (memberships and invitations alike); unknown ids are skipped. */
    remove(actor: { userId: number; ip: string | null }, userId: number, roomIds: number[]) {
      return store.write(removeFromRooms, { actor, userId, roomIds });
    },
  };
}

export type AdminRooms = ReturnType<typeof createAdminRooms>;
