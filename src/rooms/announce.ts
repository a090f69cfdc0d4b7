// What a membership change tells the connected world, from inside the transaction that made it.
import type { Tx } from "../db/store.ts";
import { roomQueries } from "./room-queries.ts";

/** The user's sockets start receiving the room; they and the room hear of it. */
export async function announceJoined(tx: Tx, userId: number, roomId: number): Promise<void> {
  tx.announce({ kind: "joined", userId, roomId });
  const room = await roomQueries.roomFor(tx, userId, roomId);
  if (room) tx.announce({ kind: "event", to: { user: userId }, event: { type: "room.added", room } });
  const member = await roomQueries.member(tx, roomId, userId);
  const memberCount = await roomQueries.memberCount(tx, roomId);
  if (member) tx.announce({ kind: "event", to: { room: roomId }, event: { type: "member.joined", roomId, member, memberCount } });
}

export async function announceLeft(tx: Tx, userId: number, roomId: number, reason: "left" | "removed"): Promise<void> {
  tx.announce({ kind: "left", userId, roomId });
  tx.announce({ kind: "event", to: { user: userId }, event: { type: "room.removed", roomId, reason } });
  const memberCount = await roomQueries.memberCount(tx, roomId);
  tx.announce({ kind: "event", to: { room: roomId }, event: { type: "member.left", roomId, userId, reason, memberCount } });
}
