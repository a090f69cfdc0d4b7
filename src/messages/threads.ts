// Threads: any top-level message can be a thread's root; replies name it (a reply to a reply answers
// the same root: threads never nest). The root's row carries the summary (thread-queries.ts), kept by
// the transaction that adds or deletes a reply, and the root's author and every replier follow the
// thread with a read mark of their own.
import { command, type Conn, type Tx } from "../db/store.ts";
import { THREADS_PAGE, type FollowedThread, type ThreadReadState, type ThreadSummary } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { decorate, usersById } from "./decorate.ts";
import { messageSql, type MessageRow, type MessageTarget } from "./message-queries.ts";
import { threadSql as q, type SummaryRow } from "./thread-queries.ts";
import { memberTarget, nextChangeSeq } from "./targets.ts";

/** Replies read back to recompute the participants after a deletion. */
const RECENT_FOR_PARTICIPANTS = 100;

/**
 * The root a reply in `roomId` to `messageId` goes under: that message, or its own root when it is a
 * reply. Anything the poster may not see, in another room, deleted or a system line is not found.
 */
export async function rootFor(tx: Tx, userId: number, roomId: number, messageId: number): Promise<MessageTarget> {
  let root = await memberTarget(tx, userId, messageId);
  if (root.threadRootId !== null) root = await memberTarget(tx, userId, root.threadRootId);
  if (root.roomId !== roomId || root.isEvent) throw chatErrors.messageNotFound();
  return root;
}

export async function summaryOf(db: Conn, row: SummaryRow): Promise<ThreadSummary> {
  const ids = [row.p1, row.p2, row.p3].filter((id): id is number => id !== null);
  const users = await usersById(db, ids);
  return {
    replyCount: row.replyCount,
    lastReplyId: row.lastReplyId,
    lastReplyAt: row.lastReplyAt,
    participants: ids.map((id) => users.get(id)).filter((u) => u !== undefined),
  };
}

/** Books a new reply on its root and its followers; returns the root's summary and new `rev`. */
export async function addReply(
  tx: Tx,
  reply: { id: number; authorId: number; createdAt: number },
  root: MessageTarget,
): Promise<{ thread: ThreadSummary; seq: number }> {
  const seq = await nextChangeSeq(tx);
  const row = (await tx.get(q.addReply, reply.id, reply.createdAt, reply.authorId, seq, root.id))!;
  await tx.run(q.follow, reply.authorId, root.id, root.roomId, reply.id);
  if (root.authorId !== reply.authorId) await tx.run(q.followFromStart, root.authorId, root.id, root.roomId);
  return { thread: await summaryOf(tx, row), seq };
}

/** After a reply was deleted: the root's summary recomputed from the replies left, announced to the room. */
export async function replyRemoved(tx: Tx, roomId: number, rootId: number): Promise<void> {
  const recent = await tx.all(q.recentReplies, rootId, RECENT_FOR_PARTICIPANTS);
  const count = recent.length < RECENT_FOR_PARTICIPANTS ? recent.length : (await tx.get(q.replyCount, rootId))!.n;
  const participants = [...new Set(recent.map((r) => r.authorId))].slice(0, 3);
  const seq = await nextChangeSeq(tx);
  const row = (await tx.get(
    q.setSummary,
    count,
    recent[0]?.id ?? null,
    recent[0]?.createdAt ?? null,
    participants[0] ?? null,
    participants[1] ?? null,
    participants[2] ?? null,
    seq,
    rootId,
  ))!;
  const thread = await summaryOf(tx, row);
  tx.announce({ kind: "event", to: { room: roomId }, event: { type: "thread.updated", roomId, rootId, thread, seq } });
}

/** Marks a thread read (up to `messageId`, or all of it) and follows it; my devices hear of it. */
export const readThread = command(
  "threads.read",
  async (tx, input: { userId: number; rootId: number; messageId: number | undefined }): Promise<ThreadReadState> => {
    const target = await memberTarget(tx, input.userId, input.rootId).catch(async (error: unknown) => {
      // A deleted root whose replies keep a placeholder can still be read.
      const row = await tx.get(messageSql.target, input.userId, input.rootId);
      if (row && row.role !== null && row.deletedAt !== null && row.replyCount > 0) return row;
      throw error;
    });
    const rootId = target.threadRootId ?? target.id;
    const root = rootId === target.id ? target : (await tx.get(messageSql.target, input.userId, rootId))!;
    const newest = (await tx.get(messageSql.one, rootId))?.lastReplyId ?? 0;
    const upTo = Math.min(input.messageId ?? newest, newest);
    const before = await tx.get(q.readState, input.userId, rootId);
    await tx.run(q.follow, input.userId, rootId, root.roomId, upTo);
    const state = (await tx.get(q.readState, input.userId, rootId))!;
    const read: ThreadReadState = { roomId: root.roomId, rootId, lastReadId: state.lastReadId, unread: state.unread };
    if (!before || before.lastReadId !== state.lastReadId) {
      tx.announce({ kind: "event", to: { user: input.userId }, event: { type: "thread.updated", roomId: root.roomId, rootId, read } });
    }
    return read;
  },
);

/** The threads I follow in rooms I belong to, the most recent reply first, a page before `before`. */
export async function followedThreads(db: Conn, userId: number, before: number | undefined): Promise<FollowedThread[]> {
  const follows = await db.all(q.followed, userId, before ?? Number.MAX_SAFE_INTEGER, THREADS_PAGE);
  const rows: MessageRow[] = [];
  for (const follow of follows) rows.push((await db.get(messageSql.one, follow.rootId))!);
  const roots = await decorate(db, rows, userId);
  return follows.map((follow, i) => ({ roomId: follow.roomId, rootId: follow.rootId, lastReadId: follow.lastReadId, unread: follow.unread, root: roots[i]! }));
}
