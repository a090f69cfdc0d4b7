// The audit log as JSON lines, oldest first, each with its chain fields so an exported file can be
// checked (or kept off the machine) on its own. Paged by id: a long log is never held in memory.
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";

export interface ExportedEntry {
  id: number;
  at: string;
  event: string;
  actorId: number | null;
  actorName: string | null;
  target: string | null;
  ip: string | null;
  detail: unknown;
  prevHash: string | null;
  hash: string | null;
}

type Row = Omit<ExportedEntry, "at" | "detail"> & { at: number; detail: string | null };

const PAGE = 1000;
const page = sql<Row, [number, number, number]>(
  `SELECT a.id, a.at, a.event, a.actor_id AS "actorId", u.username AS "actorName", a.target, a.ip, a.detail,
          a.prev_hash AS "prevHash", a.hash
     FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
    WHERE a.id > ? AND a.at >= ? ORDER BY a.id LIMIT ?`,
);

export async function exportAudit(db: Conn, since: number | null, write: (line: string) => void): Promise<number> {
  let after = 0;
  let count = 0;
  for (let rows = await db.all(page, after, since ?? 0, PAGE); rows.length; rows = await db.all(page, after, since ?? 0, PAGE)) {
    for (const row of rows) {
      const entry: ExportedEntry = { ...row, at: new Date(row.at).toISOString(), detail: row.detail === null ? null : JSON.parse(row.detail) };
      write(JSON.stringify(entry));
      after = row.id;
      count++;
    }
  }
  return count;
}
