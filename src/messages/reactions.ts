// Reactions: one of each emoji per person per message, at most MAX_REACTIONS_PER_MESSAGE distinct
// emoji on a message. Adding or removing one is a command that recomputes the message's summary (its
// `reactions` column) and moves its `rev`, so history, sync and the live frame all carry the same
// list; a resend that changes nothing writes nothing and announces nothing.
import { sql } from "../db/query.ts";
import { command, type Tx } from "../db/store.ts";
import { MAX_REACTIONS_PER_MESSAGE, REACTION_NAMES_SHOWN, type Reaction, type ReactionReply } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { markMine } from "./decorate.ts";
import { parseReactions } from "./message-queries.ts";
import { memberTarget, nextChangeSeq } from "./targets.ts";

const q = {
  insert: sql<never, [number, string, number, number]>(
    "INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (message_id, emoji, user_id) DO NOTHING",
  ),
  remove: sql<never, [number, string, number]>("DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?"),
  /**
   * The summary: per emoji (in the order each was first used) its count and first reactors. Window
   * functions read the message's reactions once, in its primary-key range.
   */
  summary: sql<{ emoji: string; userId: number; n: number }, [number, number]>(
    `SELECT emoji, user_id AS "userId", n FROM (
       SELECT emoji, user_id, created_at,
              ROW_NUMBER() OVER (PARTITION BY emoji ORDER BY created_at, user_id) AS rn,
              COUNT(*) OVER (PARTITION BY emoji) AS n,
              MIN(created_at) OVER (PARTITION BY emoji) AS first_at
         FROM reactions WHERE message_id = ?) x
      WHERE rn <= ? ORDER BY first_at, emoji, rn`,
  ),
  save: sql<never, [string | null, number, number]>("UPDATE messages SET reactions = ?, updated_seq = ? WHERE id = ?"),
};

async function summarise(tx: Tx, messageId: number): Promise<Reaction[]> {
  const reactions: Reaction[] = [];
  for (const row of await tx.all(q.summary, messageId, REACTION_NAMES_SHOWN)) {
    const last = reactions.at(-1);
    if (last?.emoji === row.emoji) last.userIds.push(row.userId);
    else reactions.push({ emoji: row.emoji, count: row.n, userIds: [row.userId] });
  }
  return reactions;
}

interface ReactionInput {
  userId: number;
  messageId: number;
  /** Canonical (emoji.ts). */
  emoji: string;
  now: number;
}

async function reply(tx: Tx, roomId: number, messageId: number, reactions: Reaction[], userId: number): Promise<ReactionReply> {
  await markMine(tx, [{ id: messageId, reactions }], userId);
  return { roomId, messageId, reactions };
}

async function change(tx: Tx, input: ReactionInput, roomId: number, added: boolean): Promise<ReactionReply> {
  const seq = await nextChangeSeq(tx);
  const reactions = await summarise(tx, input.messageId);
  await tx.run(q.save, reactions.length ? JSON.stringify(reactions) : null, seq, input.messageId);
  // Copies: the frame goes to everyone without `mine`; the reply marks the reactor's own.
  const shared = reactions.map((r) => ({ ...r, userIds: [...r.userIds] }));
  tx.announce({
    kind: "event",
    to: { room: roomId },
    event: { type: "reaction.changed", roomId, messageId: input.messageId, userId: input.userId, emoji: input.emoji, added, reactions: shared, seq },
  });
  return reply(tx, roomId, input.messageId, reactions, input.userId);
}

export const addReaction = command("reactions.add", async (tx, input: ReactionInput): Promise<ReactionReply> => {
  const target = await memberTarget(tx, input.userId, input.messageId);
  if (target.isEvent) throw chatErrors.invalid("A system line takes no reactions.");
  if (target.archivedAt !== null) throw chatErrors.roomArchived();
  const current = parseReactions(target.reactions);
  if (!current.some((r) => r.emoji === input.emoji) && current.length >= MAX_REACTIONS_PER_MESSAGE) {
    throw chatErrors.tooManyReactions(MAX_REACTIONS_PER_MESSAGE);
  }
  const { changes } = await tx.run(q.insert, input.messageId, input.emoji, input.userId, input.now);
  if (changes === 0) return reply(tx, target.roomId, input.messageId, current, input.userId);
  return change(tx, input, target.roomId, true);
});

export const removeReaction = command("reactions.remove", async (tx, input: ReactionInput): Promise<ReactionReply> => {
  const target = await memberTarget(tx, input.userId, input.messageId);
  if (target.archivedAt !== null) throw chatErrors.roomArchived();
  const { changes } = await tx.run(q.remove, input.messageId, input.emoji, input.userId);
  if (changes === 0) return reply(tx, target.roomId, input.messageId, parseReactions(target.reactions), input.userId);
  return change(tx, input, target.roomId, false);
});
