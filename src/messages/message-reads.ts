// Reading messages: history pages and reconnect sync. Members only. Every answer stays under a
// size budget (a few 4000-character messages weigh as much as hundreds of short ones), so one reply
// never approaches the socket's backpressure limit; `hasMore` says to ask again. The work is bounded
// too, whatever the client names: a sync finds the rooms with news in one statement, then reads
// pages only while the reply budget lasts (the per-user cost budget in chat.ts bounds how often).
import type { Actor } from "../accounts/sessions.ts";
import type { Conn } from "../db/store.ts";
import { MAX_HISTORY_LIMIT, MAX_PINS_PER_ROOM, SYNC_PAGE, THREADS_PAGE, type FollowedThread, type HistoryPage, type Message, type Replies } from "../protocol.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { decorate, decorateOne } from "./decorate.ts";
import { messageSql as q, type MessageRow } from "./message-queries.ts";
import { followedThreads } from "./threads.ts";

/** Largest reply, estimated; the socket closes a reader more than 1 MiB behind. */
export const REPLY_BUDGET_BYTES = 512 * 1024;
/** Edits and deletions looked up by one sync, over all its rooms together. */
export const SYNC_CHANGES = 1000;
/** The least a row can weigh (see weight()): with less budget left, no further row fits. */
const MIN_WEIGHT = 256;

/** A file's description in JSON (names are at most 200 characters), counted twice (attachment and attachments). */
const FILE_WEIGHT = 2 * 900;

/**
 * A generous estimate of a message's JSON size: UTF-8 takes at most 3 bytes per UTF-16 unit here;
 * the reactions summary is stored as the JSON it is sent as, and a quote carries a snippet.
 */
const weight = (row: MessageRow) =>
  MIN_WEIGHT + row.body.length * 3 + row.fileCount * FILE_WEIGHT + (row.reactions?.length ?? 0) + (row.quoteSnippet?.length ?? 0) * 3 +
  (row.event?.length ?? 0) * 3 + (row.replyCount > 0 ? 600 : 0);

/** The longest prefix of `rows` within `budget` (always at least one row, so readers progress). */
function within<T extends MessageRow>(rows: T[], max: number, budget: { left: number }): T[] {
  const taken: T[] = [];
  for (const row of rows) {
    if (taken.length === max) break;
    const w = weight(row);
    if (w > budget.left && (taken.length > 0 || budget.left < REPLY_BUDGET_BYTES)) break;
    budget.left -= w;
    taken.push(row);
  }
  return taken;
}

/** The cost units a sync naming `rooms` rooms may spend (chat.ts charges them before the work). */
export function syncCost(rooms: number): number {
  return 1 + rooms + Math.min(rooms * SYNC_PAGE, Math.ceil(REPLY_BUDGET_BYTES / MIN_WEIGHT));
}

export function historyCost(limit: number): number {
  return 1 + Math.min(limit, MAX_HISTORY_LIMIT);
}

/** The pinned list and the Threads view read one page each, like a history page of their size. */
export const PINS_COST = 1 + MAX_PINS_PER_ROOM;
export const THREADS_COST = 1 + THREADS_PAGE * 2;

/** Where a history page starts: at most one cursor, and a thread (or the room's timeline). */
export interface HistoryRequest {
  before?: number;
  after?: number;
  around?: number;
  threadRootId?: number;
  limit: number;
}

/** A message that is shown in its room: not deleted, or a deleted root kept as its thread's placeholder. */
const shown = (row: MessageRow) => row.deletedAt === null || row.replyCount > 0;

export function createMessageReads(db: Conn) {
  return {
    changeSeq: async (): Promise<number> => (await db.get(q.maxSeq))!.seq,

    /**
     * Newest first: the page before `before` (or the newest page), the oldest page after `after`, or
     * the page around `around`; of the room's timeline, or with threadRootId of that thread's replies.
     */
    async history(actor: Actor, roomId: number, request: HistoryRequest): Promise<HistoryPage> {
      await roomQueries.memberAccess(db, actor.userId, roomId);
      const size = Math.min(Math.max(1, Math.trunc(request.limit)), MAX_HISTORY_LIMIT);
      const cursors = [request.before, request.after, request.around].filter((c) => c !== undefined).length;
      if (cursors > 1) throw chatErrors.invalid("A history request takes at most one of before, after and around.");
      const budget = { left: REPLY_BUDGET_BYTES };
      const page = async (rows: MessageRow[]): Promise<Message[]> => decorate(db, rows, actor.userId);

      if (request.threadRootId !== undefined) {
        const root = await db.get(q.one, request.threadRootId);
        if (!root || root.roomId !== roomId || root.threadRootId !== null || root.event !== null || !shown(root)) throw chatErrors.messageNotFound();
        if (request.around !== undefined) throw chatErrors.invalid("A thread is read with before or after.");
        const newer = request.after !== undefined;
        const rows = newer
          ? await db.all(q.threadAfter, root.id, request.after!, size + 1)
          : await db.all(q.threadPage, root.id, request.before ?? Number.MAX_SAFE_INTEGER, size + 1);
        const taken = within(rows, size, budget);
        const messages = await page(newer ? taken.reverse() : taken);
        const more = rows.length > taken.length;
        return { roomId, messages, hasMore: newer ? true : more, ...(newer ? { hasNewer: more } : {}), root: await decorateOne(db, root, actor.userId) };
      }

      if (request.around !== undefined) {
        const target = await db.get(q.one, request.around);
        if (!target || target.roomId !== roomId || !shown(target)) throw chatErrors.messageNotFound();
        // A reply shown only in its thread: the page is around its root, and names the thread to open.
        const inThread = target.threadRootId !== null && !target.alsoToRoom ? target.threadRootId : null;
        const anchor = inThread ?? target.id;
        const older = await db.all(q.page, roomId, anchor + 1, Math.ceil(size / 2) + 1);
        const newer = await db.all(q.after, roomId, anchor, Math.floor(size / 2) + 1);
        const olderTaken = within(older, Math.ceil(size / 2), budget);
        const newerTaken = within(newer, Math.floor(size / 2), budget);
        return {
          roomId,
          messages: await page([...newerTaken.reverse(), ...olderTaken]),
          hasMore: older.length > olderTaken.length,
          hasNewer: newer.length > newerTaken.length,
          ...(inThread !== null ? { threadRootId: inThread } : {}),
        };
      }

      if (request.after !== undefined) {
        const rows = await db.all(q.after, roomId, request.after, size + 1);
        const taken = within(rows, size, budget);
        return { roomId, messages: await page(taken.reverse()), hasMore: request.after > 0, hasNewer: rows.length > taken.length };
      }

      const rows = await db.all(q.page, roomId, request.before ?? Number.MAX_SAFE_INTEGER, size + 1);
      const taken = within(rows, size, budget);
      return { roomId, messages: await page(taken), hasMore: rows.length > taken.length };
    },

    /** The room's pinned messages, the most recently pinned first. */
    async pins(actor: Actor, roomId: number): Promise<Message[]> {
      await roomQueries.memberAccess(db, actor.userId, roomId);
      return decorate(db, await db.all(q.pinned, roomId, MAX_PINS_PER_ROOM), actor.userId);
    },

    /** The threads I follow, for the Threads view: the latest reply first. */
    threads: (actor: Actor, before: number | undefined): Promise<FollowedThread[]> => followedThreads(db, actor.userId, before),

    /**
     * What a reconnecting client missed in each of its rooms, oldest first; rooms it no longer
     * belongs to are left out. Edits and deletions after `since` of messages it already has come in
     * `changes`; when they do not all fit, `changeSeq` stops at the last one sent.
     */
    async sync(actor: Actor, wanted: { roomId: number; lastId: number }[], since: number | undefined): Promise<Replies["sync"]> {
      // Read first: a change committed after this read is sent again next time, never missed.
      const changeSeq = (await db.get(q.maxSeq))!.seq;
      const asked = new Map<number, number>();
      for (const { roomId, lastId } of wanted) if (!asked.has(roomId)) asked.set(roomId, lastId);
      const pairs = [...asked];
      const news = pairs.length ? await db.all(q.roomsWithNews, pairs, actor.userId) : [];
      const mine = new Set(pairs.length ? await roomQueries.roomIdsOf(db, actor.userId) : []);
      const budget = { left: REPLY_BUDGET_BYTES };
      const withNews = new Map(news.map((r) => [r.roomId, r.lastId]));
      const result: Replies["sync"]["rooms"] = [];
      // Set when a page was cut short by the budget (a row did not fit): reading further rooms' pages
      // would only find rows that cannot be sent either.
      let full = false;
      for (const [roomId, lastId] of asked) {
        if (!mine.has(roomId)) continue;
        if (!withNews.has(roomId)) {
          result.push({ roomId, messages: [], hasMore: false });
          continue;
        }
        // Once the budget is spent, the rooms left are only told that there is more.
        if (full || budget.left < MIN_WEIGHT) {
          result.push({ roomId, messages: [], hasMore: true });
          continue;
        }
        const rows = await db.all(q.after, roomId, lastId, SYNC_PAGE + 1);
        const taken = within(rows, SYNC_PAGE, budget);
        if (taken.length < SYNC_PAGE && taken.length < rows.length) full = true;
        result.push({ roomId, messages: await decorate(db, taken, actor.userId), hasMore: rows.length > taken.length });
      }
      const known = pairs.filter(([roomId]) => mine.has(roomId));
      if (since === undefined || known.length === 0) return { rooms: result, changes: [], changeSeq, hasMoreChanges: false };
      // All rooms' changes in one ordered, limited look-up: what is sent is always a prefix by seq,
      // so `changeSeq` can stop at the last one sent and the next sync goes on from there.
      const found = await db.all(q.changesIn, known, since, SYNC_CHANGES);
      const sent = within(found, found.length, budget);
      const hasMoreChanges = found.length === SYNC_CHANGES || sent.length < found.length;
      return {
        rooms: result,
        changes: await decorate(db, sent, actor.userId),
        changeSeq: hasMoreChanges ? (sent.length > 0 ? sent.at(-1)!.seq : since) : changeSeq,
        hasMoreChanges,
      };
    },
  };
}
