// Direct conversations: one room per set of participants, found again by its sorted id list, so
// opening a DM twice (or from both sides at once) yields the same conversation.
import type { Actor } from "../accounts/sessions.ts";
import { command, type Store } from "../db/store.ts";
import { MAX_DM_PARTICIPANTS, type Room } from "../protocol.ts";
import { chatErrors } from "./chat-errors.ts";
import { roomQueries as q } from "./room-queries.ts";

const openDm = command("dms.open", async (tx, input: { actorId: number; participants: number[]; now: number }) => {
  const { actorId, participants, now } = input;
  for (const id of participants) {
    if (id !== actorId && !(await q.activeUser(tx, id))) throw chatErrors.userNotFound();
  }
  const key = participants.join(",");
  const existing = await q.dmByKey(tx, key);
  if (existing !== null) return { room: (await q.roomFor(tx, actorId, existing))!, created: false };
  for (const userId of participants) await q.assertRoomFor(tx, userId, userId === actorId);
  const roomId = await q.insertRoom(tx, "dm", "", "", actorId, now, key);
  for (const userId of participants) await q.insertMember(tx, roomId, userId, "member", now);
  for (const userId of participants) {
    tx.announce({ kind: "joined", userId, roomId });
    tx.announce({ kind: "event", to: { user: userId }, event: { type: "room.added", room: (await q.roomFor(tx, userId, roomId))! } });
  }
  return { room: (await q.roomFor(tx, actorId, roomId))!, created: true };
});

export function createDms({ store }: { store: Store }) {
  return {
    /** The DM between the actor and `userIds` (the actor may be listed or not). */
    open(actor: Actor, userIds: number[]): Promise<{ room: Room; created: boolean }> {
      const participants = [...new Set([actor.userId, ...userIds])].sort((a, b) => a - b);
      if (participants.length > MAX_DM_PARTICIPANTS) throw chatErrors.tooManyParticipants(MAX_DM_PARTICIPANTS);
      return store.write(openDm, { actorId: actor.userId, participants, now: Date.now() });
    },
  };
}

export type Dms = ReturnType<typeof createDms>;
