// Who may bring whom into a room or DM (issue 21 §4). Nobody can fill someone's room list, push a
// room into their sidebar or lock them out of joining:
// - someone they have never talked to (no DM or private room they are both in) only sends a request,
//   which the invitee accepts or declines; requests are bounded per invitee and per inviter;
// - someone they know adds them directly, but such rooms never count against the invitee's own cap;
// - someone they blocked is refused, and learns only that (the same refusal whatever the reason).
// Each decision is read before anything is written (the command rules in db/batch.ts); apply()
// then writes and announces it inside the same transaction.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { MAX_PENDING_REQUESTS, MAX_REQUESTS_FROM_ONE_INVITER, type RoomRequest, type UserRef } from "../protocol.ts";
import { announceJoined } from "./announce.ts";
import { chatErrors } from "./chat-errors.ts";
import { roomQueries } from "./room-queries.ts";

interface RequestRow {
  roomId: number;
  kind: RoomRequest["kind"];
  name: string;
  topic: string;
  createdAt: number;
  inviterId: number;
  inviterUsername: string;
  inviterDisplayName: string | null;
  memberCount: number;
}

const REQUEST_COLUMNS = `q.room_id AS "roomId", r.kind, r.name, r.topic, q.created_at AS "createdAt",
  u.id AS "inviterId", u.username AS "inviterUsername", u.display_name AS "inviterDisplayName",
  (SELECT count(*) FROM room_members c WHERE c.room_id = q.room_id) AS "memberCount"`;
const REQUEST_FROM = `FROM room_requests q JOIN rooms r ON r.id = q.room_id JOIN users u ON u.id = q.invited_by`;

const q = {
  blocks: sql<{ blocked: number }, [number, number]>(
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM user_blocks WHERE user_id = ? AND blocked_id = ?) THEN 1 ELSE 0 END AS blocked`,
  ),
  // Talked to: a DM or a private room both are members of. Public rooms do not count: anyone can
  // join one, so sharing one says nothing of consent.
  knows: sql<{ known: number }, [number, number]>(
    `SELECT CASE WHEN EXISTS (
        SELECT 1 FROM room_members a
          JOIN room_members b ON b.room_id = a.room_id AND b.user_id = ?
          JOIN rooms r ON r.id = a.room_id AND r.kind IN ('private', 'dm')
         WHERE a.user_id = ?) THEN 1 ELSE 0 END AS known`,
  ),
  pendingFor: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM room_requests WHERE user_id = ?"),
  pendingFrom: sql<{ n: number }, [number, number]>("SELECT count(*) AS n FROM room_requests WHERE invited_by = ? AND user_id = ?"),
  request: sql<{ invitedBy: number }, [number, number]>(`SELECT invited_by AS "invitedBy" FROM room_requests WHERE room_id = ? AND user_id = ?`),
  insertRequest: sql<never, [number, number, number, number]>(
    "INSERT INTO room_requests (room_id, user_id, invited_by, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (room_id, user_id) DO NOTHING",
  ),
  deleteRequest: sql<{ roomId: number }, [number, number]>(`DELETE FROM room_requests WHERE room_id = ? AND user_id = ? RETURNING room_id AS "roomId"`),
  requestsOf: sql<RequestRow, [number, number]>(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE q.user_id = ? ORDER BY q.created_at, q.room_id LIMIT ?`),
  requestOf: sql<RequestRow, [number, number]>(`SELECT ${REQUEST_COLUMNS} ${REQUEST_FROM} WHERE q.user_id = ? AND q.room_id = ?`),
  requestsFrom: sql<{ roomId: number }, [number, number]>(`SELECT room_id AS "roomId" FROM room_requests WHERE user_id = ? AND invited_by = ?`),
  askedBy: sql<UserRef, [number, number, number]>(
    `SELECT u.id, u.username, u.display_name AS "displayName" FROM room_requests q JOIN users u ON u.id = q.user_id
      WHERE q.room_id = ? AND q.invited_by = ? AND u.deleted_at IS NULL ORDER BY u.username_key LIMIT ?`,
  ),
};

export type Admission = "member" | "add" | "request" | "requested";

async function toRequest(db: Conn, row: RequestRow): Promise<RoomRequest> {
  const invitedBy: UserRef = { id: row.inviterId, username: row.inviterUsername, displayName: row.inviterDisplayName };
  const participants = row.kind === "dm" ? await roomQueries.participants(db, row.roomId) : [];
  return { roomId: row.roomId, kind: row.kind, name: row.name, topic: row.topic, invitedBy, participants, memberCount: row.memberCount, createdAt: row.createdAt };
}

export const consent = {
  /** Whether `userId` has blocked `otherId`. */
  blocks: async (db: Conn, userId: number, otherId: number) => (await db.get(q.blocks, userId, otherId))!.blocked === 1,

  /**
   * How `inviterId` may bring `userId` into `roomId`, decided before any write: already a member, add
   * at once, send a request, or already requested. Throws when `userId` blocked the inviter
   * (not_accepting), or when their cap or the request bounds are reached.
   */
  async decide(db: Conn, inviterId: number, userId: number, roomId: number | null): Promise<Admission> {
    if (roomId !== null && (await roomQueries.access(db, userId, roomId))?.role) return "member";
    if (await consent.blocks(db, userId, inviterId)) throw chatErrors.notAccepting();
    if ((await db.get(q.knows, inviterId, userId))!.known === 1) {
      await roomQueries.assertAddableBy(db, userId);
      return "add";
    }
    if (roomId !== null && (await db.get(q.request, roomId, userId))) return "requested";
    if ((await db.get(q.pendingFor, userId))!.n >= MAX_PENDING_REQUESTS) throw chatErrors.tooManyInvitations();
    if ((await db.get(q.pendingFrom, inviterId, userId))!.n >= MAX_REQUESTS_FROM_ONE_INVITER) throw chatErrors.tooManyInvitations();
    return "request";
  },

  /** Carries out a decision (after every check of the command has passed). */
  async apply(tx: Tx, admission: Admission, inviterId: number, userId: number, roomId: number, now: number): Promise<void> {
    if (admission === "add") {
      if (await roomQueries.insertMember(tx, roomId, userId, "member", now, false)) await announceJoined(tx, userId, roomId);
    } else if (admission === "request") {
      await tx.run(q.insertRequest, roomId, userId, inviterId, now);
      const row = await tx.get(q.requestOf, userId, roomId);
      if (row) tx.announce({ kind: "event", to: { user: userId }, event: { type: "request.added", request: await toRequest(tx, row) } });
    }
  },

  /** The invitation waiting for `userId` in `roomId`, or null. */
  async request(db: Conn, userId: number, roomId: number): Promise<RoomRequest | null> {
    const row = await db.get(q.requestOf, userId, roomId);
    return row ? toRequest(db, row) : null;
  },

  async requestsFor(db: Conn, userId: number): Promise<RoomRequest[]> {
    const rows = await db.all(q.requestsOf, userId, MAX_PENDING_REQUESTS);
    const requests: RoomRequest[] = [];
    for (const row of rows) requests.push(await toRequest(db, row));
    return requests;
  },

  /** Removes an invitation and tells the invitee's devices; false when there was none. */
  async removeRequest(tx: Tx, userId: number, roomId: number, reason: "accepted" | "declined" | "withdrawn"): Promise<boolean> {
    if (!(await tx.get(q.deleteRequest, roomId, userId))) return false;
    tx.announce({ kind: "event", to: { user: userId }, event: { type: "request.removed", roomId, reason } });
    return true;
  },

  /**
   * Whom `inviterId` asked into `roomId` who has not answered yet (issue 19: the inviter's room said
   * nothing of them). Only the inviter's own invitations: another member's are not theirs to see,
   * and a decline is never told (it reads as "not yet").
   */
  askedBy: (db: Conn, roomId: number, inviterId: number) => db.all(q.askedBy, roomId, inviterId, MAX_PENDING_REQUESTS),

  /** The rooms `inviterId` has invited `userId` to, still unanswered. */
  requestsFrom: async (db: Conn, userId: number, inviterId: number) => (await db.all(q.requestsFrom, userId, inviterId)).map((r) => r.roomId),
};
