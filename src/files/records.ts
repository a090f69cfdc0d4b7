// The files table: prepared once, bound always. Every read that can reach a client joins the
// membership of the file's room, so a file is only ever found for someone allowed to see it.
import type { Database } from "bun:sqlite";
import type { UserStorage } from "./types.ts";

export interface FileRow {
  id: string;
  messageId: number;
  uploaderId: number;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  createdAt: number;
}

export interface FileForMember extends FileRow {
  roomId: number;
}

const COLUMNS = `f.id, f.message_id AS messageId, f.uploader_id AS uploaderId, f.name, f.size, f.mime,
                 f.sha256, f.created_at AS createdAt`;

export function createFileRecords(db: Database) {
  const insert = db.query(
    `INSERT INTO files (id, message_id, uploader_id, name, size, mime, sha256, created_at)
     VALUES ($id, $messageId, $uploaderId, $name, $size, $mime, $sha256, $createdAt)`,
  );
  const forMember = db.query(
    `SELECT ${COLUMNS}, m.room_id AS roomId
       FROM files f
       JOIN messages m ON m.id = f.message_id AND m.deleted_at IS NULL
       JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = ?
      WHERE f.id = ?`,
  );
  const byMessages = db.query(`SELECT ${COLUMNS} FROM files f WHERE f.message_id IN (SELECT value FROM json_each(?))`);
  const exists = db.query("SELECT 1 AS found FROM files WHERE id = ?");
  const usedBy = db.query("SELECT COALESCE(SUM(size), 0) AS used FROM files WHERE uploader_id = ?");
  const totals = db.query("SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS usedBytes FROM files");
  const perUser = db.query(
    `SELECT u.id AS userId, u.username, COUNT(f.id) AS files, COALESCE(SUM(f.size), 0) AS usedBytes
       FROM users u LEFT JOIN files f ON f.uploader_id = u.id
      GROUP BY u.id
     HAVING u.deleted_at IS NULL OR COUNT(f.id) > 0
      ORDER BY usedBytes DESC, u.username_key`,
  );
  const trash = db.query("SELECT id FROM file_trash LIMIT ?");
  const untrash = db.query("DELETE FROM file_trash WHERE id = ?");

  return {
    insert(row: FileRow): void {
      insert.run({ ...row });
    },
    /** The file when `userId` is a member of its room and its message still exists; otherwise null. */
    findForMember(userId: number, id: string): FileForMember | null {
      return forMember.get(userId, id) as FileForMember | null;
    },
    /** Files attached to the given messages (the caller has already checked it may read them). */
    forMessages(messageIds: readonly number[]): FileRow[] {
      if (messageIds.length === 0) return [];
      return byMessages.all(JSON.stringify(messageIds)) as FileRow[];
    },
    exists(id: string): boolean {
      return exists.get(id) !== null;
    },
    usedBytes(userId: number): number {
      return (usedBy.get(userId) as { used: number }).used;
    },
    totals(): { files: number; usedBytes: number } {
      return totals.get() as { files: number; usedBytes: number };
    },
    perUser(): UserStorage[] {
      return perUser.all() as UserStorage[];
    },
    trashed(limit: number): string[] {
      return (trash.all(limit) as { id: string }[]).map((r) => r.id);
    },
    untrash(id: string): void {
      untrash.run(id);
    },
  };
}

export type FileRecords = ReturnType<typeof createFileRecords>;
