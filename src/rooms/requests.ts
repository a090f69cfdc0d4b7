// Answering invitations and blocking people (issue 21 §4). Accepting is joining (it counts against my
// own cap, as every room I choose does); declining leaves nothing behind; blocking someone also drops
// their invitations still waiting. Every change is a command that announces what it did, so all my
// devices, on any node, see the same list.
import type { Actor } from "../accounts/sessions.ts";
import { sql } from "../db/query.ts";
import { command, type Store, type Tx } from "../db/store.ts";
import type { Room, RoomRequest, UserRef } from "../protocol.ts";
import { chatErrors } from "./chat-errors.ts";
import { consent } from "./consent.ts";
import { joinRoom } from "./rooms.ts";
import { roomQueries } from "./room-queries.ts";

/** Blocks one person may keep: far more than anyone needs, and a bound on the list. */
export const MAX_BLOCKS = 1000;

const q = {
  block: sql<never, [number, number, number]>(
    "INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, blocked_id) DO NOTHING",
  ),
  unblock: sql<never, [number, number]>("DELETE FROM user_blocks WHERE user_id = ? AND blocked_id = ?"),
  count: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM user_blocks WHERE user_id = ?"),
  list: sql<UserRef, [number, number]>(
    `SELECT u.id, u.username, u.display_name AS "displayName"
       FROM user_blocks b JOIN users u ON u.id = b.blocked_id
      WHERE b.user_id = ? AND u.deleted_at IS NULL ORDER BY u.username_key LIMIT ?`,
  ),
  user: sql<UserRef, [number]>(`SELECT id, username, display_name AS "displayName" FROM users WHERE id = ? AND deleted_at IS NULL`),
};

async function blockIn(tx: Tx, userId: number, blockedId: number, now: number): Promise<void> {
  await tx.run(q.block, userId, blockedId, now);
  for (const roomId of await consent.requestsFrom(tx, userId, blockedId)) await consent.removeRequest(tx, userId, roomId, "declined");
}

const acceptRequest = command("requests.accept", async (tx, input: { userId: number; roomId: number; now: number }): Promise<Room> => {
  if (!(await consent.request(tx, input.userId, input.roomId))) throw chatErrors.requestNotFound();
  return joinRoom.run(tx, input);
});

const declineRequest = command("requests.decline", async (tx, input: { userId: number; roomId: number; block: boolean; now: number }) => {
  const request = await consent.request(tx, input.userId, input.roomId);
  if (!request) throw chatErrors.requestNotFound();
  if (input.block && request.invitedBy.id !== input.userId) await assertCanBlock(tx, input.userId);
  await consent.removeRequest(tx, input.userId, input.roomId, "declined");
  if (input.block && request.invitedBy.id !== input.userId) await blockIn(tx, input.userId, request.invitedBy.id, input.now);
  return { roomId: input.roomId };
});

async function assertCanBlock(tx: Tx, userId: number): Promise<void> {
  if ((await tx.get(q.count, userId))!.n >= MAX_BLOCKS) throw chatErrors.invalid(`You can block at most ${MAX_BLOCKS} people.`);
}

const blockUser = command("blocks.add", async (tx, input: { userId: number; blockedId: number; now: number }): Promise<UserRef> => {
  if (input.blockedId === input.userId) throw chatErrors.cannotBlockSelf();
  const user = await tx.get(q.user, input.blockedId);
  if (!user) throw chatErrors.userNotFound();
  await assertCanBlock(tx, input.userId);
  await blockIn(tx, input.userId, input.blockedId, input.now);
  return user;
});

const unblockUser = command("blocks.remove", async (tx, input: { userId: number; blockedId: number }) => {
  await tx.run(q.unblock, input.userId, input.blockedId);
  return { userId: input.blockedId };
});

export function createRequests({ store }: { store: Store }) {
  const db = store.read;
  return {
    list: (actor: Actor): Promise<RoomRequest[]> => consent.requestsFor(db, actor.userId),
    accept: (actor: Actor, roomId: number): Promise<Room> => store.write(acceptRequest, { userId: actor.userId, roomId, now: Date.now() }),
    decline: (actor: Actor, roomId: number, block: boolean) => store.write(declineRequest, { userId: actor.userId, roomId, block, now: Date.now() }),
    blocked: (actor: Actor): Promise<UserRef[]> => db.all(q.list, actor.userId, MAX_BLOCKS),
    /** My invitations into a room I am in that wait for an answer (anyone else: not found). */
    async askedByMe(actor: Actor, roomId: number): Promise<UserRef[]> {
      await roomQueries.memberAccess(db, actor.userId, roomId);
      return consent.askedBy(db, roomId, actor.userId);
    },
    block: (actor: Actor, userId: number): Promise<UserRef> => store.write(blockUser, { userId: actor.userId, blockedId: userId, now: Date.now() }),
    unblock: (actor: Actor, userId: number) => store.write(unblockUser, { userId: actor.userId, blockedId: userId }),
    /** Whether the user may see the room's request card: only the invitee (anyone else: not found). */
    request: async (actor: Actor, roomId: number): Promise<RoomRequest> => {
      const request = await consent.request(db, actor.userId, roomId);
      if (!request) throw chatErrors.requestNotFound();
      return request;
    },
  };
}

export type Requests = ReturnType<typeof createRequests>;
