// The exports table: one row per export being built or ready, with its progress. A user may start an
// export of their own data once an hour; anyone has at most one export running at a time. A row whose
// builder stopped reporting (its node died) counts as failed after STALE_MS.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import type { ExportInfo, ExportStatus } from "../accounts/types.ts";

export const EXPORT_EVERY_MS = 3600_000;
export const EXPORT_KEEP_MS = 24 * 3600_000;
export const STALE_MS = 10 * 60_000;

export interface ExportRow {
  id: string;
  userId: number;
  roomId: number | null;
  status: ExportStatus;
  progress: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  size: number | null;
}

const COLUMNS = `id, user_id AS "userId", room_id AS "roomId", status, progress, created_at AS "createdAt",
  updated_at AS "updatedAt", expires_at AS "expiresAt", size`;

const q = {
  insert: sql<never, [string, number, number | null, number, number, number]>(
    "INSERT INTO exports (id, user_id, room_id, status, created_at, updated_at, expires_at) VALUES (?, ?, ?, 'running', ?, ?, ?)",
  ),
  ofUser: sql<ExportRow, [number, number]>(`SELECT ${COLUMNS} FROM exports WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id`),
  one: sql<ExportRow, [string]>(`SELECT ${COLUMNS} FROM exports WHERE id = ?`),
  lastOwn: sql<{ createdAt: number }, [number]>(
    `SELECT created_at AS "createdAt" FROM exports WHERE user_id = ? AND room_id IS NULL AND status != 'failed' ORDER BY created_at DESC LIMIT 1`,
  ),
  running: sql<{ n: number }, [number, number]>("SELECT COUNT(*) AS n FROM exports WHERE user_id = ? AND status = 'running' AND updated_at > ?"),
  progress: sql<never, [number, number, string]>("UPDATE exports SET progress = ?, updated_at = ? WHERE id = ? AND status = 'running'"),
  finish: sql<never, [number, number, number, string]>("UPDATE exports SET status = 'ready', progress = 100, size = ?, updated_at = ?, expires_at = ? WHERE id = ?"),
  fail: sql<never, [number, string]>("UPDATE exports SET status = 'failed', updated_at = ? WHERE id = ?"),
  expired: sql<{ id: string }, [number]>("SELECT id FROM exports WHERE expires_at <= ? LIMIT 200"),
  remove: sql<never, [string]>("DELETE FROM exports WHERE id = ?"),
};

/** A builder that has not reported for a while is gone: its export counts as failed. */
export const effectiveStatus = (row: ExportRow, now: number): ExportStatus =>
  row.status === "running" && row.updatedAt <= now - STALE_MS ? "failed" : row.status;

export const exportInfo = (row: ExportRow, now: number): ExportInfo => ({
  id: row.id,
  roomId: row.roomId,
  status: effectiveStatus(row, now),
  progress: row.progress,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  size: row.size,
});

export const exportJobs = {
  insert: async (tx: Tx, id: string, userId: number, roomId: number | null, now: number) => void (await tx.run(q.insert, id, userId, roomId, now, now, now + EXPORT_KEEP_MS)),
  ofUser: (db: Conn, userId: number, now: number) => db.all(q.ofUser, userId, now),
  one: (db: Conn, id: string) => db.get(q.one, id),
  /** When the user's next export of their own data may start; null: now. */
  async nextAllowedAt(db: Conn, userId: number, now: number): Promise<number | null> {
    const last = await db.get(q.lastOwn, userId);
    return last && last.createdAt + EXPORT_EVERY_MS > now ? last.createdAt + EXPORT_EVERY_MS : null;
  },
  runningCount: async (db: Conn, userId: number, now: number) => (await db.get(q.running, userId, now - STALE_MS))!.n,
  progress: async (tx: Tx, id: string, progress: number, now: number) => void (await tx.run(q.progress, progress, now, id)),
  finish: async (tx: Tx, id: string, size: number, now: number) => void (await tx.run(q.finish, size, now, now + EXPORT_KEEP_MS, id)),
  fail: async (tx: Tx, id: string, now: number) => void (await tx.run(q.fail, now, id)),
  expired: async (db: Conn, now: number) => (await db.all(q.expired, now)).map((r) => r.id),
  remove: async (tx: Tx, id: string) => void (await tx.run(q.remove, id)),
};
