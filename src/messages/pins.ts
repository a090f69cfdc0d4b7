// Pins: members pin and unpin messages of their rooms (in a public room whose owner chose "owners",
// only owners and admins who are members), at most MAX_PINS_PER_ROOM per room. The pin lives on the
// message's row (pinned_at, pinned_by), so every page shows it at no extra cost; pinning moves the
// message's `rev`, so a reconnecting client learns of it from sync's changes.
import { sql } from "../db/query.ts";
import { command, type Tx } from "../db/store.ts";
import { MAX_PINS_PER_ROOM, type PinReply, type UserRef } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { messageSql, toMessage, type MessageTarget } from "./message-queries.ts";
import { memberTarget, nextChangeSeq } from "./targets.ts";

const q = {
  count: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM messages WHERE room_id = ? AND pinned_at IS NOT NULL"),
  set: sql<never, [number | null, number | null, number, number]>("UPDATE messages SET pinned_at = ?, pinned_by = ?, updated_seq = ? WHERE id = ?"),
};

interface PinInput {
  actor: { userId: number; isAdmin: boolean };
  /** The actor's names, for the frame (the pin shows who pinned). */
  by: UserRef;
  messageId: number;
  now: number;
}

async function pinnable(tx: Tx, input: PinInput): Promise<MessageTarget> {
  const target = await memberTarget(tx, input.actor.userId, input.messageId);
  if (target.isEvent) throw chatErrors.invalid("A system line cannot be pinned.");
  if (target.kind === "public" && target.pinPolicy === "owners" && target.role !== "owner" && !input.actor.isAdmin) {
    throw chatErrors.notAllowed("In this room only its owners can pin and unpin messages.");
  }
  if (target.archivedAt !== null) throw chatErrors.roomArchived();
  return target;
}

export const pinMessage = command("pins.pin", async (tx, input: PinInput): Promise<PinReply> => {
  const target = await pinnable(tx, input);
  // Pinned already: a resend, or someone else was first. Nothing changes.
  if (target.pinnedAt !== null) {
    const current = toMessage((await tx.get(messageSql.one, target.id))!).pinned ?? null;
    return { roomId: target.roomId, messageId: target.id, pinned: current };
  }
  if ((await tx.get(q.count, target.roomId))!.n >= MAX_PINS_PER_ROOM) throw chatErrors.tooManyPins(MAX_PINS_PER_ROOM);
  const seq = await nextChangeSeq(tx);
  await tx.run(q.set, input.now, input.actor.userId, seq, target.id);
  const pinned = { at: input.now, by: input.by };
  tx.announce({ kind: "event", to: { room: target.roomId }, event: { type: "message.pinned", roomId: target.roomId, messageId: target.id, pinned, seq } });
  return { roomId: target.roomId, messageId: target.id, pinned };
});

export const unpinMessage = command("pins.unpin", async (tx, input: PinInput): Promise<PinReply> => {
  const target = await pinnable(tx, input);
  if (target.pinnedAt === null) return { roomId: target.roomId, messageId: target.id, pinned: null };
  const seq = await nextChangeSeq(tx);
  await tx.run(q.set, null, null, seq, target.id);
  tx.announce({ kind: "event", to: { room: target.roomId }, event: { type: "message.unpinned", roomId: target.roomId, messageId: target.id, seq } });
  return { roomId: target.roomId, messageId: target.id, pinned: null };
});
