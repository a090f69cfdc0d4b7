// The people one can start a DM with or invite: active users' names only (no e-mail, no secrets).
import type { Database } from "bun:sqlite";
import type { UserRef } from "../protocol.ts";

export const MAX_DIRECTORY_RESULTS = 50;

export function createUserDirectory(db: Database) {
  const search = db.query<UserRef, [string, string, number]>(
    `SELECT id, username, display_name AS displayName FROM users
      WHERE disabled = 0 AND deleted_at IS NULL
        AND (username_key LIKE ? ESCAPE '\\' OR lower(coalesce(display_name, '')) LIKE ? ESCAPE '\\')
      ORDER BY username_key LIMIT ?`,
  );
  return {
    /** Users whose username or display name contains `query` (case-insensitive), by username. */
    search(query: string, limit: number): UserRef[] {
      const needle = query.trim().normalize("NFKC").toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = `%${needle}%`;
      return search.all(pattern, pattern, Math.min(Math.max(1, limit), MAX_DIRECTORY_RESULTS));
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
