// The people one can start a DM with or invite: active users' names only (no e-mail, no secrets).
import type { Database } from "bun:sqlite";
import type { UserRef } from "../protocol.ts";

export const MAX_DIRECTORY_RESULTS = 50;
/** Ids one lookup may name (the client asks for the names of people it sees online). */
export const MAX_DIRECTORY_IDS = 100;

export function createUserDirectory(db: Database) {
  const search = db.query<UserRef, [string, string, number]>(
    `SELECT id, username, display_name AS displayName FROM users
      WHERE disabled = 0 AND deleted_at IS NULL
        AND (username_key LIKE ? ESCAPE '\\' OR lower(coalesce(display_name, '')) LIKE ? ESCAPE '\\')
      ORDER BY username_key LIMIT ?`,
  );
  // One statement for any number of ids: they travel as a JSON array, never spliced into SQL.
  const byIds = db.query<UserRef, [string]>(
    `SELECT id, username, display_name AS displayName FROM users
      WHERE id IN (SELECT value FROM json_each(?)) AND disabled = 0 AND deleted_at IS NULL
      ORDER BY id`,
  );
  return {
    /** The active users among `ids` (unknown, disabled and deleted ones are left out), by id. */
    byIds(ids: readonly number[]): UserRef[] {
      const unique = [...new Set(ids)].slice(0, MAX_DIRECTORY_IDS);
      return unique.length ? byIds.all(JSON.stringify(unique)) : [];
    },
    /** Users whose username or display name contains `query` (case-insensitive), by username. */
    search(query: string, limit: number): UserRef[] {
      const needle = query.trim().normalize("NFKC").toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const pattern = `%${needle}%`;
      return search.all(pattern, pattern, Math.min(Math.max(1, limit), MAX_DIRECTORY_RESULTS));
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
