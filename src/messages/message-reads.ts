// Reading messages: history pages and reconnect sync. Members only. Every answer stays under a
// size budget (a few 4000-character messages weigh as much as hundreds of short ones), so one reply
// never approaches the socket's backpressure limit; `hasMore` says to ask again. The work is bounded
// too, whatever the client names: a sync finds the rooms with news in one statement, then reads
// pages only while the reply budget lasts (the per-user cost budget in chat.ts bounds how often).
import type { Actor } from "../accounts/sessions.ts";
import type { Conn } from "../db/store.ts";
import { MAX_HISTORY_LIMIT, SYNC_PAGE, type Replies } from "../protocol.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { messageSql as q, toMessages, type MessageRow } from "./message-queries.ts";

/** Largest reply, estimated; the socket closes a reader more than 1 MiB behind. */
export const REPLY_BUDGET_BYTES = 512 * 1024;
/** Edits and deletions looked up by one sync, over all its rooms together. */
export const SYNC_CHANGES = 1000;
/** The least a row can weigh (see weight()): with less budget left, no further row fits. */
const MIN_WEIGHT = 256;

/** A file's description in JSON (names are at most 200 characters), counted twice (attachment and attachments). */
const FILE_WEIGHT = 2 * 900;

/** A generous estimate of a message's JSON size: UTF-8 takes at most 3 bytes per UTF-16 unit here. */
const weight = (row: MessageRow) => MIN_WEIGHT + row.body.length * 3 + row.fileCount * FILE_WEIGHT;

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

export function createMessageReads(db: Conn) {
  return {
    changeSeq: async (): Promise<number> => (await db.get(q.maxSeq))!.seq,

    /** Newest first: the page before `before` (or the newest page). */
    async history(actor: Actor, roomId: number, before: number | undefined, limit: number): Promise<Replies["history"]> {
      await roomQueries.memberAccess(db, actor.userId, roomId);
      const size = Math.min(Math.max(1, Math.trunc(limit)), MAX_HISTORY_LIMIT);
      const rows = await db.all(q.page, roomId, before ?? Number.MAX_SAFE_INTEGER, size + 1);
      const page = within(rows, size, { left: REPLY_BUDGET_BYTES });
      return { roomId, messages: await toMessages(db, page), hasMore: rows.length > page.length };
    },

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
        result.push({ roomId, messages: await toMessages(db, taken), hasMore: rows.length > taken.length });
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
        changes: await toMessages(db, sent),
        changeSeq: hasMoreChanges ? (sent.length > 0 ? sent.at(-1)!.seq : since) : changeSeq,
        hasMoreChanges,
      };
    },
  };
}
