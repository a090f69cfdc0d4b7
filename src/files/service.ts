// Files as the rest of the server sees them: storage on disk, rows, quota, and the upkeep that keeps
// the two in step (start-up sweep, removal of deleted files' bytes).
import type { Database } from "bun:sqlite";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Attachment } from "../protocol.ts";
import { toAttachment } from "./attachment.ts";
import { isFileId } from "./ids.ts";
import { createQuota } from "./quota.ts";
import { createFileRecords, type FileForMember } from "./records.ts";
import { createFileStorage } from "./storage.ts";
import type { StorageReport, StorageUsage } from "./types.ts";

export type { StorageReport, StorageUsage };

/** Trash entries handled per sweep pass; the loop continues until the table is empty. */
const SWEEP_BATCH = 200;

export function createFileService(deps: { db: Database; config: Config; logger: Logger }) {
  const storage = createFileStorage(deps.config.dataDir, deps.logger);
  const records = createFileRecords(deps.db);
  const quota = createQuota(deps.db, deps.config.userQuotaBytes);

  // Nothing can be uploading yet: every .part and every unreferenced file is a leftover.
  storage.sweepAtStartup((id) => records.exists(id));
  for (const id of records.trashed(Number.MAX_SAFE_INTEGER)) records.untrash(id);

  let sweeping: Promise<number> | null = null;

  async function sweepTrashNow(): Promise<number> {
    let removed = 0;
    for (let batch = records.trashed(SWEEP_BATCH); batch.length; batch = records.trashed(SWEEP_BATCH)) {
      for (const id of batch) {
        try {
          if (isFileId(id)) await storage.remove(id);
          records.untrash(id);
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
    records,
    quota,

    usage(userId: number): StorageUsage {
      return { usedBytes: records.usedBytes(userId), quotaBytes: quota.current().bytes, maxUploadBytes: deps.config.maxUploadBytes };
    },

    report(): StorageReport {
      const totals = records.totals();
      const current = quota.current();
      return {
        totalBytes: totals.usedBytes,
        files: totals.files,
        quotaBytes: current.bytes,
        quotaSource: current.source,
        defaultQuotaBytes: deps.config.userQuotaBytes,
        maxUploadBytes: deps.config.maxUploadBytes,
        users: records.perUser(),
      };
    },

    /** The attachment of each given message that has one (for history, sync and broadcasts). */
    attachmentsFor(messageIds: readonly number[]): Map<number, Attachment> {
      return new Map(records.forMessages(messageIds).map((row) => [row.messageId, toAttachment(row)]));
    },

    /** The file if `userId` may fetch it; null for a missing file and a non-member alike. */
    findForMember(userId: number, id: string): FileForMember | null {
      return isFileId(id) ? records.findForMember(userId, id) : null;
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
