// The retention job. Every pass finds, room by room, messages past that room's limit (its own
// retention, the server's, or its disappearing-messages delay) and deletes them through the one
// deletion path (messages.ts eraseMessage: text erased, file dropped, change numbered for sync,
// search rows removed), announced as one `messages.deleted` per room and batch; then files past
// the file limit.
//
// Small batches, each its own short command in the group commit, paced (limits/pacer.ts: a few ms each,
// then a rest that grows while the server is busy): the purge takes the CPU the chat leaves, so
// posting and fan-out keep their latency while a large purge runs (bench/scenarios/purge.ts).
// On SQLite, secure_delete zeroes the freed space (db/sqlite/open.ts) and the WAL is truncated
// after a pass that deleted something, so the text is not left in the database's files; a backup
// (VACUUM INTO) copies live rows only.
import { sql } from "../db/query.ts";
import { command, type Store, type Tx } from "../db/store.ts";
import { describeError } from "../errors.ts";
import type { FileService } from "../files/service.ts";
import type { Logger } from "../log.ts";
import { eraseMessage } from "../messages/messages.ts";
import { replyRemoved } from "../messages/threads.ts";
import { attachments } from "../messages/attachments.ts";
import { decorateOne } from "../messages/decorate.ts";
import { messageSql } from "../messages/message-queries.ts";
import { nextChangeSeq } from "../messages/targets.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { Pacer, processLoad, type PacerOptions } from "../limits/pacer.ts";
import { serverRetention } from "./policy.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PASS_EVERY_MS = 60_000;
/** Batches of ~8 ms of writer work (~80 µs a message), resting at least as long: half speed at most. */
export const PURGE_PACE: PacerOptions = {
  initial: 100, min: 50, max: 500, targetMs: 8, minFactor: 1, maxFactor: 32, busyShare: 0.6, minPauseMs: 2, maxPauseMs: 1_000,
};

const q = {
  rooms: sql<{ id: number; retentionDays: number | null; disappearHours: number | null }, []>(
    `SELECT id, retention_days AS "retentionDays", disappear_hours AS "disappearHours" FROM rooms`,
  ),
  expired: sql<{ id: number }, [number, number, number]>(
    "SELECT id FROM messages WHERE room_id = ? AND created_at < ? AND deleted_at IS NULL ORDER BY created_at LIMIT ?",
  ),
  liveIn: sql<{ id: number; roomId: number; threadRootId: number | null }, [number[], number]>({
    sqlite: `SELECT id, room_id AS "roomId", thread_root_id AS "threadRootId" FROM messages
              WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL AND created_at < ?`,
    postgres: `SELECT id, room_id AS "roomId", thread_root_id AS "threadRootId" FROM messages
                WHERE id = ANY(?::bigint[]) AND deleted_at IS NULL AND created_at < ?`,
  }),
  oldFiles: sql<{ id: string; messageId: number }, [number, number]>(
    `SELECT id, message_id AS "messageId" FROM files WHERE created_at < ? ORDER BY created_at LIMIT ?`,
  ),
  fileOf: sql<{ id: string; messageId: number; roomId: number; body: string; threadRootId: number | null }, [string, number]>(
    `SELECT f.id, f.message_id AS "messageId", m.room_id AS "roomId", m.body, m.thread_root_id AS "threadRootId"
       FROM files f JOIN messages m ON m.id = f.message_id WHERE f.id = ? AND f.created_at < ?`,
  ),
  dropFile: sql<never, [string]>("DELETE FROM files WHERE id = ?"),
  bump: sql<never, [number, number]>("UPDATE messages SET updated_seq = ? WHERE id = ?"),
};

type Expiring = { id: number; roomId: number; threadRootId: number | null };

/**
 * Deletes messages room by room, each room's changes numbered together: one `messages.deleted` per
 * room for the whole batch (a purge of a large backlog must not send each member a frame per
 * message: that fan-out, not the deleting, would slow everyone else down), then each thread root
 * that lost replies, recomputed once rather than once per reply. A client that saw one room's frame
 * (and advanced its sync point to its number) has missed no change of that room below it.
 */
async function eraseByRoom(tx: Tx, rows: Expiring[], now: number): Promise<void> {
  const byRoom = new Map<number, Expiring[]>();
  for (const row of [...rows].sort((a, b) => a.roomId - b.roomId || a.id - b.id)) {
    const group = byRoom.get(row.roomId);
    if (group) group.push(row);
    else byRoom.set(row.roomId, [row]);
  }
  for (const [roomId, group] of byRoom) {
    let seq = 0;
    for (const row of group) seq = await eraseMessage(tx, { id: row.id, roomId }, now, { announce: false });
    tx.announce({ kind: "event", to: { room: roomId }, event: { type: "messages.deleted", roomId, messageIds: group.map((row) => row.id), seq } });
    const roots = new Set(group.flatMap((row) => (row.threadRootId === null ? [] : [row.threadRootId])));
    for (const rootId of roots) await replyRemoved(tx, roomId, rootId);
  }
}

/**
 * Deletes the named messages that are still live and older than `cutoff` (checked again under the
 * lock). Says how long it worked, timed where it runs (the writer): the pacer needs the purge's own
 * cost, not the wait for a commit that a round trip would add to it.
 */
const expireMessages = command("retention.expire", async (tx, input: { ids: number[]; cutoff: number; now: number }): Promise<{ deleted: number; ms: number }> => {
  const began = performance.now();
  const rows = await tx.all(q.liveIn, input.ids, input.cutoff);
  await eraseByRoom(tx, rows, input.now);
  return { deleted: rows.length, ms: performance.now() - began };
});

/**
 * Removes old files. A message left with no file and no caption is deleted; one with a caption, or
 * other files still young, keeps them and is announced updated. Deletions go out like the messages'
 * (one `messages.deleted` per room and batch, thread roots recomputed once).
 */
const expireFiles = command("retention.files", async (tx, input: { ids: string[]; cutoff: number; now: number }): Promise<{ files: number; messages: number; ms: number }> => {
  const began = performance.now();
  const byMessage = new Map<number, { roomId: number; body: string; threadRootId: number | null; fileIds: string[] }>();
  for (const id of input.ids) {
    const file = await tx.get(q.fileOf, id, input.cutoff);
    if (!file) continue;
    const entry = byMessage.get(file.messageId) ?? { roomId: file.roomId, body: file.body, threadRootId: file.threadRootId, fileIds: [] };
    entry.fileIds.push(file.id);
    byMessage.set(file.messageId, entry);
  }
  let files = 0;
  const erased: Expiring[] = [];
  for (const [messageId, entry] of byMessage) {
    for (const id of entry.fileIds) await tx.run(q.dropFile, id);
    files += entry.fileIds.length;
    if (entry.body === "" && !(await attachments.hasFiles(tx, messageId))) {
      erased.push({ id: messageId, roomId: entry.roomId, threadRootId: entry.threadRootId });
      continue;
    }
    const seq = await nextChangeSeq(tx);
    await tx.run(q.bump, seq, messageId);
    const message = await decorateOne(tx, (await tx.get(messageSql.one, messageId))!, null);
    tx.announce({ kind: "event", to: { room: entry.roomId }, event: { type: "message.updated", message, seq } });
  }
  await eraseByRoom(tx, erased, input.now);
  return { files, messages: erased.length, ms: performance.now() - began };
});

export interface PassResult {
  messages: number;
  files: number;
}

export function createRetention(deps: { store: Store; logger: Logger; files: FileService; metrics: Metrics }) {
  const { store, logger } = deps;
  const db = store.read;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<PassResult> | null = null;
  let stopped = false;
  const rest = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function passNow(now: number): Promise<PassResult> {
    const started = performance.now();
    const server = await serverRetention(db);
    const result: PassResult = { messages: 0, files: 0 };
    const pacer = new Pacer(PURGE_PACE);
    const load = processLoad(0);
    for (const room of await db.all(q.rooms)) {
      const limits: number[] = [];
      const days = room.retentionDays ?? server.messageDays;
      if (days !== null) limits.push(now - days * DAY);
      if (room.disappearHours !== null) limits.push(now - room.disappearHours * HOUR);
      if (limits.length === 0) continue;
      const cutoff = Math.max(...limits);
      for (;;) {
        if (stopped) return result;
        const size = pacer.size;
        const ids = (await db.all(q.expired, room.id, cutoff, size)).map((row) => row.id);
        if (ids.length === 0) break;
        const { deleted, ms } = await store.write(expireMessages, { ids, cutoff, now });
        const pause = pacer.after(ids.length, ms, load());
        result.messages += deleted;
        deps.metrics.messagesDeleted.inc({ cause: "retention" }, deleted);
        if (ids.length < size) break;
        await rest(pause);
      }
    }
    if (server.fileDays !== null) {
      const cutoff = now - server.fileDays * DAY;
      for (;;) {
        if (stopped) return result;
        const size = pacer.size;
        const ids = (await db.all(q.oldFiles, cutoff, size)).map((row) => row.id);
        if (ids.length === 0) break;
        const done = await store.write(expireFiles, { ids, cutoff, now });
        const pause = pacer.after(ids.length, done.ms, load());
        result.files += done.files;
        result.messages += done.messages;
        if (done.messages) deps.metrics.messagesDeleted.inc({ cause: "retention" }, done.messages);
        if (ids.length < size) break;
        await rest(pause);
      }
    }
    if (result.messages || result.files) {
      logger.info("retention_pass", { messages: result.messages, files: result.files, ms: Math.round(performance.now() - started) });
      // The files' bytes, then the database's own leftovers of the deleted text.
      await deps.files.sweepTrash();
      await store.compact();
    }
    return result;
  }

  return {
    /** One full pass now (concurrent calls share it). Tests and the timer call this. */
    pass(now = Date.now()): Promise<PassResult> {
      running ??= passNow(now).finally(() => {
        running = null;
      });
      return running;
    },

    /** A pass in the background now (after a limit changed), when the job is running. */
    soon(): void {
      if (!timer) return;
      this.pass().catch((error) => logger.warn("maintenance_failed", { task: "retention", error: describeError(error) }));
    },

    start(intervalMs = PASS_EVERY_MS): void {
      stopped = false;
      timer ??= setInterval(() => {
        this.pass().catch((error) => logger.warn("maintenance_failed", { task: "retention", error: describeError(error) }));
      }, intervalMs);
      timer.unref?.();
      // Once at start too, so a server that restarts often still enforces its limits.
      this.soon();
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;
