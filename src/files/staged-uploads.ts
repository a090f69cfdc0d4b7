// Files uploaded for the composer's tray and not sent yet (issue 19): the person reviews, removes and
// captions them, then sends them together as one message (messages/attachments.ts moves them into
// `files`). Until then they belong to their uploader and the room they were uploaded for, count
// against the uploader's quota, are bounded in number, and go away by themselves after a while —
// deleting the row queues the bytes for the trash sweep (a trigger, migration 012).
import { sql } from "../db/query.ts";
import { command, type Store } from "../db/store.ts";
import { AppError } from "../errors.ts";
import { MAX_ATTACHMENTS, type Attachment } from "../protocol.ts";
import { toAttachment } from "./attachment.ts";
import { currentQuota } from "./quota.ts";
import { fileRecords, type StoredFile } from "./records.ts";

/** Uploads one person may hold unsent: two full trays. */
export const MAX_STAGED_UPLOADS = 2 * MAX_ATTACHMENTS;
/** An upload not sent within this long is removed. */
export const STAGED_UPLOAD_TTL_MS = 24 * 3600_000;

const q = {
  insert: sql<never, [string, number, number, string, number, string, string, number]>(
    `INSERT INTO file_uploads (id, room_id, uploader_id, name, size, mime, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  count: sql<{ n: number }, [number]>("SELECT count(*) AS n FROM file_uploads WHERE uploader_id = ?"),
  remove: sql<{ id: string }, [string, number]>("DELETE FROM file_uploads WHERE id = ? AND uploader_id = ? RETURNING id"),
  expired: sql<{ id: string }, [number, number]>("SELECT id FROM file_uploads WHERE created_at < ? ORDER BY created_at LIMIT ?"),
  removeExpired: sql<never, [string, number]>("DELETE FROM file_uploads WHERE id = ? AND created_at < ?"),
};

export const stagedErrors = {
  tooMany: () =>
    new AppError(429, "too_many_uploads", `You have ${MAX_STAGED_UPLOADS} files waiting to be sent: send or remove some first.`),
  notFound: () => new AppError(404, "upload_not_found", "That upload does not exist or has expired; add the file again."),
};

export const stageUpload = command(
  "files.stage",
  async (tx, input: { upload: StoredFile; roomId: number; uploaderId: number; defaultQuotaBytes: number; now: number }): Promise<Attachment> => {
    const { upload } = input;
    // Under the write lock: parallel uploads may have used the space or the slots meanwhile.
    if ((await tx.get(q.count, input.uploaderId))!.n >= MAX_STAGED_UPLOADS) throw stagedErrors.tooMany();
    const quota = await currentQuota(tx, input.defaultQuotaBytes);
    await fileRecords.assertFits(tx, input.uploaderId, upload.size, quota.bytes);
    await tx.run(q.insert, upload.id, input.roomId, input.uploaderId, upload.name, upload.size, upload.mime, upload.sha256, input.now);
    return toAttachment(upload);
  },
);

/** The uploader removes one from the tray; anyone else's or an unknown id is not found. */
export const unstageUpload = command("files.unstage", async (tx, input: { id: string; uploaderId: number }) => {
  if (!(await tx.get(q.remove, input.id, input.uploaderId))) throw stagedErrors.notFound();
  return { id: input.id };
});

const removeExpired = command("files.removeExpiredUploads", async (tx, input: { ids: string[]; before: number }) => {
  for (const id of input.ids) await tx.run(q.removeExpired, id, input.before);
  return input.ids.length;
});

export const stagedUploads = {
  /** Unsent uploads older than the TTL, a batch at a time; returns how many went. */
  async expire(store: Store, now = Date.now()): Promise<number> {
    const before = now - STAGED_UPLOAD_TTL_MS;
    const ids = (await store.read.all(q.expired, before, 200)).map((r) => r.id);
    return ids.length ? store.write(removeExpired, { ids, before }) : 0;
  },
};
