// Direct conversations: one room per set of participants, found again by its sorted id list, so
// opening a DM twice (or from both sides at once) yields the same conversation. The others are
// brought in as consent.ts decides: added when they know me, asked otherwise, refused if blocked.
import type { Actor } from "../accounts/sessions.ts";
import { command, type Store, type Tx } from "../db/store.ts";
import { MAX_DM_PARTICIPANTS, type Room } from "../protocol.ts";
import { chatErrors } from "./chat-errors.ts";
import { consent, type Admission } from "./consent.ts";
import { roomQueries as q } from "./room-queries.ts";

const openDm = command("dms.open", async (tx, input: { actorId: number; participants: number[]; now: number }) => {
  const { actorId, participants, now } = input;
  for (const id of participants) {
    if (id !== actorId && !(await q.activeUser(tx, id))) throw chatErrors.userNotFound();
  }
  const key = participants.join(",");
  const existing = await q.dmByKey(tx, key);
  // Every check before any write: the others' consent (consent.ts), then my own cap.
  const admissions: [number, Admission][] = [];
  for (const userId of participants) if (userId !== actorId) admissions.push([userId, await consent.decide(tx, actorId, userId, existing)]);
  const mine = existing !== null ? (await q.access(tx, actorId, existing))?.role ?? null : null;
  if (!mine) await q.assertRoomFor(tx, actorId);

  const roomId = existing ?? (await q.insertRoom(tx, "dm", "", "", actorId, now, key));
  if (!mine) {
    await q.insertMember(tx, roomId, actorId, "member", now);
    // Opening a DM I had been invited to is accepting it.
    await consent.removeRequest(tx, actorId, roomId, "accepted");
    tx.announce({ kind: "joined", userId: actorId, roomId });
  } else {
    // Mine now, and shown again if I had hidden it.
    await q.choose(tx, roomId, actorId);
  }
  for (const [userId, admission] of admissions) await consent.apply(tx, admission, actorId, userId, roomId, now);
  const room = (await q.roomFor(tx, actorId, roomId))!;
  tx.announce({ kind: "event", to: { user: actorId }, event: { type: "room.added", room } });
  if (!mine && existing !== null) await announceJoinedToOthers(tx, actorId, roomId);
  return { room, created: existing === null };
});

/** Someone (re)entered an existing DM: its other members hear of it. */
async function announceJoinedToOthers(tx: Tx, userId: number, roomId: number): Promise<void> {
  const member = await q.member(tx, roomId, userId);
  const memberCount = await q.memberCount(tx, roomId);
  if (member) tx.announce({ kind: "event", to: { room: roomId }, event: { type: "member.joined", roomId, member, memberCount } });
}

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
