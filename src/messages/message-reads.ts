// Reading messages: history pages and reconnect sync. Members only. Every answer stays under a
// size budget (a few 4000-character messages weigh as much as hundreds of short ones), so one reply
// never approaches the socket's backpressure limit; `hasMore` says to ask again.
import type { Actor } from "../accounts/sessions.ts";
import { MAX_HISTORY_LIMIT, SYNC_PAGE, type Replies } from "../protocol.ts";
import type { RoomQueries } from "../rooms/room-queries.ts";
import { toMessage, type MessageQueries, type MessageRow } from "./message-queries.ts";

/** Largest reply, estimated; the socket closes a reader more than 1 MiB behind. */
export const REPLY_BUDGET_BYTES = 512 * 1024;
/** Edits and deletions looked up by one sync, over all its rooms together. */
export const SYNC_CHANGES = 1000;
/** The least a row can weigh (see weight()): with less budget left, no further row fits. */
const MIN_WEIGHT = 256;

/** A generous estimate of a message's JSON size: UTF-8 takes at most 3 bytes per UTF-16 unit here. */
const weight = (row: MessageRow) => MIN_WEIGHT + row.body.length * 3;

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

export function createMessageReads(deps: { q: MessageQueries; rooms: RoomQueries; changeSeq: () => number }) {
  const { q, rooms } = deps;

  return {
    /** Newest first: the page before `before` (or the newest page). */
    history(actor: Actor, roomId: number, before: number | undefined, limit: number): Replies["history"] {
      rooms.memberAccess(actor.userId, roomId);
      const size = Math.min(Math.max(1, Math.trunc(limit)), MAX_HISTORY_LIMIT);
      const rows = q.page.all(roomId, before ?? Number.MAX_SAFE_INTEGER, size + 1);
      const page = within(rows, size, { left: REPLY_BUDGET_BYTES });
      return { roomId, messages: page.map(toMessage), hasMore: rows.length > page.length };
    },

    /**
     * What a reconnecting client missed in each of its rooms, oldest first; rooms it no longer
     * belongs to are left out. Edits and deletions after `since` of messages it already has come in
     * `changes`; when they do not all fit, `changeSeq` stops at the last one sent.
     */
    sync(actor: Actor, wanted: { roomId: number; lastId: number }[], since: number | undefined): Replies["sync"] {
      const mine = new Set(rooms.roomIdsOf.all(actor.userId).map((r) => r.roomId));
      const asked = new Map<number, number>();
      for (const { roomId, lastId } of wanted) if (mine.has(roomId) && !asked.has(roomId)) asked.set(roomId, lastId);
      const budget = { left: REPLY_BUDGET_BYTES };
      const result: Replies["sync"]["rooms"] = [];
      const changeSeq = deps.changeSeq();
      // The work is bounded like the reply: up to 500 rooms must not mean reading 500 full pages.
      // Once the budget is spent, one row per room is enough to say `hasMore`.
      for (const [roomId, lastId] of asked) {
        const rows = q.after.all(roomId, lastId, budget.left >= MIN_WEIGHT ? SYNC_PAGE + 1 : 1);
        const taken = within(rows, SYNC_PAGE, budget);
        result.push({ roomId, messages: taken.map(toMessage), hasMore: rows.length > taken.length });
      }
      if (since === undefined || asked.size === 0) return { rooms: result, changes: [], changeSeq, hasMoreChanges: false };
      // All rooms' changes in one ordered, limited look-up: what is sent is always a prefix by seq,
      // so `changeSeq` can stop at the last one sent and the next sync goes on from there.
      const found = q.changesIn.all(JSON.stringify([...asked]), since, SYNC_CHANGES);
      const sent = within(found, found.length, budget);
      const hasMoreChanges = found.length === SYNC_CHANGES || sent.length < found.length;
      return {
        rooms: result,
        changes: sent.map(toMessage),
        changeSeq: hasMoreChanges ? (sent.length > 0 ? sent.at(-1)!.seq : since) : changeSeq,
        hasMoreChanges,
      };
    },
  };
}
