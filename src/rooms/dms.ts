// Direct conversations: one room per set of participants, found again by its sorted id list, so
// opening a DM twice (or from both sides at once) yields the same conversation.
import type { Database } from "bun:sqlite";
import type { Actor } from "../accounts/sessions.ts";
import { MAX_DM_PARTICIPANTS, type Room } from "../protocol.ts";
import type { Hub } from "../ws/broadcast.ts";
import { chatErrors } from "./chat-errors.ts";
import type { RoomQueries } from "./room-queries.ts";

export function createDms({ db, queries: q, hub }: { db: Database; queries: RoomQueries; hub: Hub }) {
  const openOrCreate = db.transaction((key: string, participants: number[], creator: number) => {
    const existing = q.dmByKey.get(key);
    if (existing) return { roomId: existing.id, created: false };
    for (const userId of participants) q.assertRoomFor(userId, userId === creator);
    const now = Date.now();
    const { id } = q.insertRoom.get("dm", "", "", creator, now, key)!;
    for (const userId of participants) q.insertMember.get(id, userId, "member", now);
    return { roomId: id, created: true };
  });

  return {
    /** The DM between the actor and `userIds` (the actor may be listed or not). */
    open(actor: Actor, userIds: number[]): { room: Room; created: boolean } {
      const participants = [...new Set([actor.userId, ...userIds])].sort((a, b) => a - b);
      if (participants.length > MAX_DM_PARTICIPANTS) throw chatErrors.tooManyParticipants(MAX_DM_PARTICIPANTS);
      for (const id of participants) {
        if (id !== actor.userId && !q.activeUser.get(id)) throw chatErrors.userNotFound();
      }
      const { roomId, created } = openOrCreate(participants.join(","), participants, actor.userId);
      if (created) {
        for (const userId of participants) {
          hub.subscribe(userId, roomId);
          hub.toUser(userId, { type: "room.added", room: q.roomFor(userId, roomId)! });
        }
      }
      return { room: q.roomFor(actor.userId, roomId)!, created };
    },
  };
}

export type Dms = ReturnType<typeof createDms>;
