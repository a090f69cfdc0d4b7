// Counts for the admin dashboard. Tables owned by other features (rooms, messages, files) are read
// only when they exist, so this keeps working while those features evolve.
import type { Database } from "bun:sqlite";
import { statSync } from "node:fs";
import type { Accounts } from "./accounts.ts";
import type { ServerStats } from "./types.ts";

/** What the dashboard needs from presence tracking, when the server has it. */
export interface PresenceSource {
  onlineUserIds?: () => Iterable<number>;
}

const count = (db: Database, sql: string) => (db.query(sql).get() as { n: number | null }).n ?? 0;

function tableExists(db: Database, name: string): boolean {
  return db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== null;
}

function databaseBytes(db: Database): number {
  const path = db.filename;
  if (!path || path === ":memory:") {
    return count(db, "SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()");
  }
  let total = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      total += statSync(path + suffix).size;
    } catch {
      // No WAL file right after a checkpoint.
    }
  }
  return total;
}

export function serverStats(accounts: Accounts, presence?: PresenceSource, now = Date.now()): ServerStats {
  const db = accounts.db;
  const dbBytes = databaseBytes(db);
  const stats: ServerStats = {
    users: count(db, "SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL"),
    admins: count(db, "SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL AND is_admin = 1"),
    disabledUsers: count(db, "SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL AND disabled = 1"),
    sessions: (db.query("SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?").get(now) as { n: number }).n,
    rooms: tableExists(db, "rooms") ? count(db, "SELECT COUNT(*) AS n FROM rooms WHERE archived_at IS NULL") : 0,
    messages: tableExists(db, "messages") ? count(db, "SELECT COUNT(*) AS n FROM messages WHERE deleted_at IS NULL") : 0,
    storageBytes: tableExists(db, "files") ? count(db, "SELECT SUM(size) AS n FROM files") : dbBytes,
    databaseBytes: dbBytes,
    registrationMode: accounts.settings.registrationMode(),
  };
  const online = presence?.onlineUserIds?.();
  if (online) stats.online = [...online].sort((a, b) => a - b);
  return stats;
}
