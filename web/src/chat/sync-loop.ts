// After a reconnect: ask the server what was missed, page by page, until it says nothing more
// remains (docs/API-chat.md, "Reconnecting"). A room's `hasMore` means "sync me again from my new
// last id"; `hasMoreChanges` means "more edits and deletions after the new changeSeq". Changes only
// cover the rooms named in a sync, so every repeat names every room still being followed.
import type { Message, Replies } from "./protocol.ts";

export type SyncReply = Replies["sync"];

export interface SyncRequest {
  rooms: { roomId: number; lastId: number }[];
  since: number;
}

/** One answer, as applyEvent's `local.sync` takes it. */
export interface SyncPage {
  rooms: { roomId: number; messages: Message[] }[];
  changes: Message[];
  changeSeq: number;
  /**
   * Timelines to drop (they reload from their newest page when shown): rooms that missed more than
   * the loop fetches, or "all" when the changes never ran out.
   */
  restart: number[] | "all";
}

export interface SyncLimits {
  /** Pages one room may take (200 messages each) before it is reloaded from its newest page instead. */
  pagesPerRoom: number;
  /** Requests one sync may make in all. */
  rounds: number;
}

const SYNC_LIMITS: SyncLimits = { pagesPerRoom: 5, rounds: 50 };

/**
 * Runs the sync to the end, calling `apply` with each answer in order (so what is applied is always
 * contiguous: a room's pages follow one another from its last id). A failed request rejects; the
 * pages applied so far stay valid, and the next reconnect starts from where the timelines end.
 */
export async function syncUntilDone(
  ask: (request: SyncRequest) => Promise<SyncReply>,
  start: SyncRequest,
  apply: (page: SyncPage) => void,
  limits: SyncLimits = SYNC_LIMITS,
): Promise<void> {
  const cursor = new Map<number, number>();
  for (const { roomId, lastId } of start.rooms) cursor.set(roomId, lastId);
  const pagesTaken = new Map<number, number>();
  let since = start.since;

  for (let round = 1; cursor.size > 0; round++) {
    const reply = await ask({ rooms: [...cursor].map(([roomId, lastId]) => ({ roomId, lastId })), since });
    const answered = new Set<number>();
    const restart: number[] = [];
    let more = false;
    for (const room of reply.rooms) {
      if (!cursor.has(room.roomId)) continue;
      answered.add(room.roomId);
      const last = room.messages.at(-1)?.id;
      if (last !== undefined && last > cursor.get(room.roomId)!) cursor.set(room.roomId, last);
      if (!room.hasMore) continue;
      const taken = (pagesTaken.get(room.roomId) ?? 0) + 1;
      pagesTaken.set(room.roomId, taken);
      if (taken >= limits.pagesPerRoom) {
        // Too much to stitch in (and to draw): that room starts again from its newest page.
        restart.push(room.roomId);
        cursor.delete(room.roomId);
      } else {
        more = true;
      }
    }
    // A room the server left out is no longer mine (ready already said so): stop asking about it.
    for (const roomId of [...cursor.keys()]) if (!answered.has(roomId)) cursor.delete(roomId);
    since = reply.changeSeq;
    if (reply.hasMoreChanges) more = true;
    const page = { rooms: reply.rooms.map(({ roomId, messages }) => ({ roomId, messages })), changes: reply.changes, changeSeq: reply.changeSeq };
    if (more && round >= limits.rounds) {
      // Changes that never run out (a flood of edits while away): reload every timeline instead.
      apply({ ...page, restart: "all" });
      return;
    }
    apply({ ...page, restart });
    if (!more) return;
  }
}
