// Counts for the admin dashboard.
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import { settings } from "./settings.ts";
import type { ServerStats } from "./types.ts";

/** What the dashboard needs from presence tracking, when the server has it. */
export interface PresenceSource {
  onlineUserIds?: () => Iterable<number>;
}

const counts = sql<Omit<ServerStats, "registrationMode" | "online">, [number]>({
  sqlite: `SELECT
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL) AS users,
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND is_admin = 1) AS admins,
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND disabled = 1) AS "disabledUsers",
      (SELECT COUNT(*) FROM sessions WHERE expires_at > ?) AS sessions,
      (SELECT COUNT(*) FROM rooms WHERE archived_at IS NULL) AS rooms,
      (SELECT COUNT(*) FROM messages WHERE deleted_at IS NULL) AS messages,
      (SELECT COALESCE(SUM(size), 0) FROM files) AS "storageBytes",
      (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()) AS "databaseBytes"`,
  postgres: `SELECT
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL) AS users,
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND is_admin = 1) AS admins,
      (SELECT COUNT(*) FROM users WHERE deleted_at IS NULL AND disabled = 1) AS "disabledUsers",
      (SELECT COUNT(*) FROM sessions WHERE expires_at > ?) AS sessions,
      (SELECT COUNT(*) FROM rooms WHERE archived_at IS NULL) AS rooms,
      (SELECT COUNT(*) FROM messages WHERE deleted_at IS NULL) AS messages,
      (SELECT COALESCE(SUM(size), 0) FROM files)::bigint AS "storageBytes",
      pg_database_size(current_database()) AS "databaseBytes"`,
});

export async function serverStats(db: Conn, presence?: PresenceSource, now = Date.now()): Promise<ServerStats> {
  const stats: ServerStats = { ...(await db.get(counts, now))!, registrationMode: await settings.registrationMode(db) };
  const online = presence?.onlineUserIds?.();
  if (online) stats.online = [...online].sort((a, b) => a - b);
  return stats;
}
