// Files as the rest of the server sees them: storage on disk, rows, quota, and the upkeep that keeps
// the two in step (the sweep of leftovers, removal of deleted files' bytes).
import type { Config } from "../config.ts";
import { command, type Store } from "../db/store.ts";
import type { Logger } from "../log.ts";
import { isFileId } from "./ids.ts";
import { currentQuota, setQuota } from "./quota.ts";
import { fileRecords, type FileForMember } from "./records.ts";
import { createFileStorage, LEFTOVER_AGE_MS } from "./storage.ts";
import type { StorageReport, StorageUsage } from "./types.ts";

export type { StorageReport, StorageUsage };

/** Trash entries handled per sweep pass; the loop continues until the table is empty. */
const SWEEP_BATCH = 200;

const untrash = command("files.untrash", async (tx, id: string) => fileRecords.untrash(tx, id));

export function createFileService(deps: { store: Store; config: Config; logger: Logger }) {
  const { store, config } = deps;
  const db = store.read;
  const storage = createFileStorage(config.filesDir, deps.logger);

  let sweeping: Promise<number> | null = null;

  async function sweepTrashNow(): Promise<number> {
    let removed = 0;
    for (let batch = await fileRecords.trashed(db, SWEEP_BATCH); batch.length; batch = await fileRecords.trashed(db, SWEEP_BATCH)) {
      for (const id of batch) {
        try {
          if (isFileId(id)) await storage.remove(id);
          await store.write(untrash, id);
          removed++;
        } catch (error) {
          // Keep the entry; the next sweep (or the next start) tries again.
          deps.logger.error("file_remove_failed", { id, error: String(error) });
          return removed;
        }
      }
    }
    return removed;
  }

  return {
    storage,

    quota: () => currentQuota(db, config.userQuotaBytes),

    async setQuota(bytes: number | null, actor: { userId: number; ip: string }) {
      return store.write(setQuota, { bytes, configDefault: config.userQuotaBytes, actorId: actor.userId, ip: actor.ip });
    },

    async usage(userId: number): Promise<StorageUsage> {
      return { usedBytes: await fileRecords.usedBytes(db, userId), quotaBytes: (await this.quota()).bytes, maxUploadBytes: config.maxUploadBytes };
    },

    async report(): Promise<StorageReport> {
      const totals = await fileRecords.totals(db);
      const current = await this.quota();
      return {
        totalBytes: totals.usedBytes,
        files: totals.files,
        quotaBytes: current.bytes,
        quotaSource: current.source,
        defaultQuotaBytes: config.userQuotaBytes,
        maxUploadBytes: config.maxUploadBytes,
        users: await fileRecords.perUser(db),
      };
    },

    /** The file if `userId` may fetch it; null for a missing file and a non-member alike. */
    async findForMember(userId: number, id: string): Promise<FileForMember | null> {
      return isFileId(id) ? fileRecords.findForMember(db, userId, id) : null;
    },

    /**
     * Removes leftovers on disk: partial uploads and files no row refers to. At the start of a lone
     * node nothing can be uploading, so all go (minAgeMs 0); otherwise — later sweeps, and any sweep in
     * a cluster, whose nodes share the files directory — only those older than any upload can take.
     */
    async sweepLeftovers(minAgeMs = LEFTOVER_AGE_MS): Promise<number> {
      const candidates = storage.leftoverCandidates(minAgeMs);
      let removed = 0;
      for (const candidate of candidates) {
        if (candidate.partial || !(await fileRecords.exists(db, candidate.id))) {
          await storage.remove(candidate.id);
          removed++;
        }
      }
      if (removed) deps.logger.info("files_swept", { removed });
      return removed;
    },

    /**
     * Unlinks the bytes of files whose rows are gone (their message was deleted). Call after any
     * commit that may delete messages; concurrent calls share one pass.
     */
    sweepTrash(): Promise<number> {
      sweeping ??= sweepTrashNow().finally(() => {
        sweeping = null;
      });
      return sweeping;
    },
  };
}

export type FileService = ReturnType<typeof createFileService>;
