// The files table. Every read that can reach a client joins the membership of the file's room, so a
// file is only ever found for someone allowed to see it.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import type { UserStorage } from "./types.ts";
import { formatBytes } from "./sizes.ts";
import { AppError } from "../errors.ts";

/** A received file's own facts (no message yet). */
export interface StoredFile {
  id: string;
  /** Sanitised for display; not a path. */
  name: string;
  size: number;
  mime: string;
  sha256: string;
}

export interface FileRow extends StoredFile {
  messageId: number;
  uploaderId: number;
  createdAt: number;
}

export interface FileForMember extends FileRow {
  roomId: number;
}

const COLUMNS = `f.id, f.message_id AS "messageId", f.uploader_id AS "uploaderId", f.name, f.size, f.mime,
                 f.sha256, f.created_at AS "createdAt"`;

const q = {
  insert: sql<never, [string, number, number, number, string, number, string, string, number]>(
    `INSERT INTO files (id, message_id, position, uploader_id, name, size, mime, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  forMember: sql<FileForMember, [number, string]>(
    `SELECT ${COLUMNS}, m.room_id AS "roomId"
       FROM files f
       JOIN messages m ON m.id = f.message_id AND m.deleted_at IS NULL
       JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = ?
      WHERE f.id = ?`,
  ),
  // A file sent with a message, or uploaded and waiting to be sent (file_uploads): both own their bytes.
  exists: sql<{ found: number }, [string, string]>(
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM files WHERE id = ?) OR EXISTS (SELECT 1 FROM file_uploads WHERE id = ?) THEN 1 ELSE 0 END AS found",
  ),
  // SUM of a BIGINT is NUMERIC in Postgres (a string to the client): cast back. Uploads not sent yet count too.
  usedBy: sql<{ used: number }, [number, number]>(
    `SELECT CAST(COALESCE((SELECT SUM(size) FROM files WHERE uploader_id = ?), 0)
               + COALESCE((SELECT SUM(size) FROM file_uploads WHERE uploader_id = ?), 0) AS BIGINT) AS used`,
  ),
  totals: sql<{ files: number; usedBytes: number }, []>(
    `SELECT COUNT(*) AS files, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS "usedBytes" FROM files`,
  ),
  perUser: sql<UserStorage, []>(
    `SELECT u.id AS "userId", u.username, u.display_name AS "displayName", COUNT(f.id) AS files,
            CAST(COALESCE(SUM(f.size), 0) AS BIGINT) AS "usedBytes"
       FROM users u LEFT JOIN files f ON f.uploader_id = u.id
      GROUP BY u.id, u.username, u.display_name, u.username_key, u.deleted_at
     HAVING u.deleted_at IS NULL OR COUNT(f.id) > 0
      ORDER BY "usedBytes" DESC, u.username_key`,
  ),
  trash: sql<{ id: string }, [number]>("SELECT id FROM file_trash LIMIT ?"),
  untrash: sql<never, [string]>("DELETE FROM file_trash WHERE id = ?"),
};

export const overQuota = (used: number, quota: number) =>
  new AppError(
    403,
    "quota_exceeded",
    `This file does not fit in your storage quota: ${formatBytes(used)} of ${formatBytes(quota)} used. ` +
      `Delete some of your files or ask an administrator for more space.`,
  );

export const fileRecords = {
  async insert(tx: Tx, row: FileRow, position = 0): Promise<void> {
    await tx.run(q.insert, row.id, row.messageId, position, row.uploaderId, row.name, row.size, row.mime, row.sha256, row.createdAt);
  },
  /** Refuses (before anything is written) a file that would take the uploader past `quota`. */
  async assertFits(tx: Tx, uploaderId: number, size: number, quota: number): Promise<void> {
    const used = await fileRecords.usedBytes(tx, uploaderId);
    if (used + size > quota) throw overQuota(used, quota);
  },
  /** The file when `userId` is a member of its room and its message still exists; otherwise null. */
  findForMember: (db: Conn, userId: number, id: string): Promise<FileForMember | null> => db.get(q.forMember, userId, id),
  exists: async (db: Conn, id: string) => (await db.get(q.exists, id, id))!.found === 1,
  usedBytes: async (db: Conn, userId: number) => (await db.get(q.usedBy, userId, userId))!.used,
  totals: async (db: Conn) => (await db.get(q.totals))!,
  perUser: (db: Conn): Promise<UserStorage[]> => db.all(q.perUser),
  trashed: async (db: Conn, limit: number) => (await db.all(q.trash, limit)).map((r) => r.id),
  untrash: async (tx: Tx, id: string) => void (await tx.run(q.untrash, id)),
};
