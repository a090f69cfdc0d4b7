// Data exports, built in the background: a request records a row and answers at once; the zip is
// written by the node that took the request into <files>/.exports/ (the files directory is the one
// every node of a cluster shares, so any node can serve the download), with its progress in the row.
// A finished export is kept 24 hours, then swept. Only the person who asked can download it.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RequestMeta } from "../accounts/accounts.ts";
import { appendAudit } from "../accounts/audit.ts";
import type { Actor } from "../accounts/sessions.ts";
import type { ExportInfo, ExportsResponse } from "../accounts/types.ts";
import type { Config } from "../config.ts";
import { command, type Store } from "../db/store.ts";
import { AppError, describeError } from "../errors.ts";
import type { FileStorage } from "../files/storage.ts";
import type { Logger } from "../log.ts";
import { roomQueries } from "../rooms/room-queries.ts";
import { chatErrors } from "../rooms/chat-errors.ts";
import { exportAccount, exportRoom, type ExportSink } from "./export-content.ts";
import { EXPORT_EVERY_MS, exportInfo, exportJobs, effectiveStatus } from "./export-jobs.ts";

export const EXPORTS_DIR = ".exports";
const PROGRESS_EVERY_MS = 500;
const SWEEP_EVERY_MS = 10 * 60_000;

const tooSoon = (retryAt: number, now: number) => {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new AppError(429, "export_too_soon", `You can export your data once an hour. Try again in ${seconds} s.`, { "retry-after": String(seconds) });
};
const busy = () => new AppError(429, "export_too_soon", "An export is already being prepared: wait for it to finish.", { "retry-after": "10" });
export const exportNotFound = () => new AppError(404, "export_not_found", "There is no such export, or it has expired.");

const newId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");

const requestCommand = command(
  "exports.request",
  async (tx, input: { id: string; userId: number; username: string; roomId: number | null; ip: string; now: number }) => {
    // Checked again inside the transaction: two clicks at once start one export.
    if (input.roomId === null) {
      const next = await exportJobs.nextAllowedAt(tx, input.userId, input.now);
      if (next !== null) throw tooSoon(next, input.now);
    }
    if ((await exportJobs.runningCount(tx, input.userId, input.now)) > 0) throw busy();
    await exportJobs.insert(tx, input.id, input.userId, input.roomId, input.now);
    await appendAudit(tx, "export_requested", {
      actorId: input.userId,
      target: input.roomId === null ? input.username : `room:${input.roomId}`,
      ip: input.ip,
      detail: { exportId: input.id, kind: input.roomId === null ? "account" : "room" },
    });
  },
);

const progressCommand = command("exports.progress", async (tx, input: { id: string; progress: number; now: number }) =>
  exportJobs.progress(tx, input.id, input.progress, input.now),
);
const finishCommand = command("exports.finish", async (tx, input: { id: string; userId: number; roomId: number | null; size: number; now: number }) => {
  await exportJobs.finish(tx, input.id, input.size, input.now);
  await appendAudit(tx, "export_made", {
    actorId: input.userId,
    target: input.roomId === null ? null : `room:${input.roomId}`,
    detail: { exportId: input.id, kind: input.roomId === null ? "account" : "room", size: input.size },
  });
});
const failCommand = command("exports.fail", async (tx, input: { id: string; now: number }) => exportJobs.fail(tx, input.id, input.now));
const removeCommand = command("exports.remove", async (tx, id: string) => exportJobs.remove(tx, id));
const downloadedCommand = command("exports.downloaded", async (tx, input: { id: string; userId: number; username: string; ip: string }) =>
  appendAudit(tx, "export_downloaded", { actorId: input.userId, target: input.username, ip: input.ip, detail: { exportId: input.id } }),
);

export function createExportService(deps: { store: Store; config: Config; logger: Logger; storage: FileStorage }) {
  const { store } = deps;
  const dir = join(deps.config.filesDir, EXPORTS_DIR);
  const zipPath = (id: string) => join(dir, `${id}.zip`);
  const building = new Set<Promise<void>>();
  let sweeper: ReturnType<typeof setInterval> | null = null;

  async function build(id: string, userId: number, roomId: number | null) {
    let last = 0;
    // Loaded at the first export, not at every start (this module's commands are on the writer thread).
    const { createZipSink } = await import("./zip-sink.ts");
    const sink = createZipSink({
      zipPath: `${zipPath(id)}.part`,
      tempDir: join(dir, `${id}.tmp`),
      storedPath: deps.storage.pathOf,
      onProgress: async (done, total) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        await store.write(progressCommand, { id, progress: Math.min(99, Math.floor((done / Math.max(1, total)) * 100)), now });
      },
    });
    try {
      const made = roomId === null ? await exportAccount(store.read, userId, sink as ExportSink) : await exportRoom(store.read, roomId, sink as ExportSink);
      if (!made) throw new Error("the account or room is gone");
      await sink.finish();
      renameSync(`${zipPath(id)}.part`, zipPath(id));
      await store.write(finishCommand, { id, userId, roomId, size: statSync(zipPath(id)).size, now: Date.now() });
    } catch (error) {
      deps.logger.warn("export_failed", { exportId: id, error: describeError(error) });
      rmSync(`${zipPath(id)}.part`, { force: true });
      await store.write(failCommand, { id, now: Date.now() }).catch(() => {});
    } finally {
      sink.cleanUp();
    }
  }

  function launch(id: string, userId: number, roomId: number | null) {
    const job = build(id, userId, roomId).finally(() => building.delete(job));
    building.add(job);
  }

  async function start(actor: Actor, roomId: number | null, meta: RequestMeta): Promise<ExportInfo> {
    const now = Date.now();
    if (roomId === null) {
      const next = await exportJobs.nextAllowedAt(store.read, actor.userId, now);
      if (next !== null) throw tooSoon(next, now);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const id = newId();
    await store.write(requestCommand, { id, userId: actor.userId, username: actor.username, roomId, ip: meta.ip, now });
    launch(id, actor.userId, roomId);
    return exportInfo((await exportJobs.one(store.read, id))!, Date.now());
  }

  return {
    /** An export of the actor's own data (one an hour). */
    startOwn: (actor: Actor, meta: RequestMeta) => start(actor, null, meta),

    /** An admin's export of one room they may see: a member, or any public room; else room_not_found. */
    async startRoom(actor: Actor, roomId: number, meta: RequestMeta): Promise<ExportInfo> {
      const access = await roomQueries.access(store.read, actor.userId, roomId);
      if (!access || (access.role === null && !(access.kind === "public" && actor.isAdmin))) throw chatErrors.roomNotFound();
      return start(actor, roomId, meta);
    },

    async list(userId: number): Promise<ExportsResponse> {
      const now = Date.now();
      return {
        exports: (await exportJobs.ofUser(store.read, userId, now)).map((row) => exportInfo(row, now)),
        nextAllowedAt: await exportJobs.nextAllowedAt(store.read, userId, now),
      };
    },

    /** The zip to send, for its owner only; anyone else (and anything not ready) is export_not_found. */
    async download(actor: Actor, id: string, meta: RequestMeta): Promise<{ path: string; createdAt: number; roomId: number | null }> {
      const row = /^[A-Za-z0-9_-]{22}$/.test(id) ? await exportJobs.one(store.read, id) : null;
      const now = Date.now();
      if (!row || row.userId !== actor.userId || effectiveStatus(row, now) !== "ready" || row.expiresAt <= now || !existsSync(zipPath(id))) throw exportNotFound();
      await store.write(downloadedCommand, { id, userId: actor.userId, username: actor.username, ip: meta.ip });
      return { path: zipPath(id), createdAt: row.createdAt, roomId: row.roomId };
    },

    /** Removes expired exports (rows and zips). */
    async sweep(now = Date.now()): Promise<number> {
      let removed = 0;
      for (const id of await exportJobs.expired(store.read, now)) {
        rmSync(zipPath(id), { force: true });
        await store.write(removeCommand, id);
        removed++;
      }
      return removed;
    },

    startSweeper() {
      sweeper ??= setInterval(() => void this.sweep().catch((error) => deps.logger.warn("maintenance_failed", { task: "exports", error: describeError(error) })), SWEEP_EVERY_MS);
      sweeper.unref?.();
    },

    /** Waits for the exports being built here (tests, and a graceful stop). */
    async settled(): Promise<void> {
      while (building.size) await Promise.allSettled([...building]);
    },

    stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
    },

    /** For the limit's Retry-After and tests. */
    everyMs: EXPORT_EVERY_MS,
  };
}

export type ExportService = ReturnType<typeof createExportService>;
