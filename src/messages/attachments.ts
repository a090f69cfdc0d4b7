// A message's files (issue 19: several per message). Read for a whole page of messages in one
// statement; written by the message's own transaction, either from a file just received with it
// (the one-shot upload) or from uploads made beforehand for the composer's tray (file_uploads),
// which move into `files` under the same id, so their bytes stay where they are.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { toAttachment } from "../files/attachment.ts";
import { MAX_ATTACHMENTS, type Attachment } from "../protocol.ts";
import { AppError } from "../errors.ts";

interface FileOfMessage {
  messageId: number;
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
}

/** An upload waiting to be sent, as its uploader may send it. */
export interface StagedUpload {
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
}

const q = {
  // Any number of message ids as one array parameter (never spliced into the SQL).
  ofMessages: sql<FileOfMessage, [number[]]>({
    sqlite: `SELECT message_id AS "messageId", id, name, size, mime, sha256 FROM files
              WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position`,
    postgres: `SELECT message_id AS "messageId", id, name, size, mime, sha256 FROM files
                WHERE message_id = ANY(?::bigint[]) ORDER BY message_id, position`,
  }),
  staged: sql<StagedUpload, [string, number, number]>(
    `SELECT id, name, size, mime, sha256 FROM file_uploads WHERE id = ? AND uploader_id = ? AND room_id = ?`,
  ),
  moveIn: sql<never, [number, number, number, string]>(
    `INSERT INTO files (id, message_id, position, uploader_id, name, size, mime, sha256, created_at)
     SELECT id, ?, ?, uploader_id, name, size, mime, sha256, ? FROM file_uploads WHERE id = ?`,
  ),
  unstage: sql<never, [string]>("DELETE FROM file_uploads WHERE id = ?"),
  hasFiles: sql<{ found: number }, [number]>("SELECT CASE WHEN EXISTS (SELECT 1 FROM files WHERE message_id = ?) THEN 1 ELSE 0 END AS found"),
};

export const attachmentErrors = {
  tooMany: () => new AppError(400, "too_many_attachments", `A message can carry at most ${MAX_ATTACHMENTS} files.`),
  notFound: () => new AppError(404, "upload_not_found", "That upload does not exist or has expired; add the file again."),
};

/** Each message's files, in their order, by message id. */
export async function attachmentsOf(db: Conn, messageIds: number[]): Promise<Map<number, Attachment[]>> {
  const byMessage = new Map<number, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  for (const row of await db.all(q.ofMessages, messageIds)) {
    const list = byMessage.get(row.messageId) ?? [];
    list.push(toAttachment(row));
    byMessage.set(row.messageId, list);
  }
  return byMessage;
}

export const attachments = {
  /** The uploads `ids` as `uploaderId` may send them into `roomId`; throws before any write if one is not. */
  async staged(tx: Tx, uploaderId: number, roomId: number, ids: readonly string[]): Promise<StagedUpload[]> {
    if (ids.length > MAX_ATTACHMENTS) throw attachmentErrors.tooMany();
    if (new Set(ids).size !== ids.length) throw attachmentErrors.notFound();
    const found: StagedUpload[] = [];
    for (const id of ids) {
      const upload = await tx.get(q.staged, id, uploaderId, roomId);
      if (!upload) throw attachmentErrors.notFound();
      found.push(upload);
    }
    return found;
  },

  /** Moves staged uploads into the message, in order after `from` files already there. */
  async attach(tx: Tx, messageId: number, uploads: readonly StagedUpload[], now: number, from = 0): Promise<Attachment[]> {
    for (const [i, upload] of uploads.entries()) {
      await tx.run(q.moveIn, messageId, from + i, now, upload.id);
      await tx.run(q.unstage, upload.id);
    }
    return uploads.map(toAttachment);
  },

  hasFiles: async (db: Conn, messageId: number) => (await db.get(q.hasFiles, messageId))!.found === 1,
};
