// The people one can start a DM with or invite: active users' names only (no e-mail, no secrets).
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import type { UserRef } from "../protocol.ts";
import { usernameSkeleton } from "../accounts/usernames.ts";

export const MAX_DIRECTORY_RESULTS = 50;
/** Ids one lookup may name (the client asks for the names of people it sees online). */
export const MAX_DIRECTORY_IDS = 100;

const q = {
  // The skeletons (accounts/skeleton.ts: case and Latin accents folded) find "Élodie" from "élo" or
  // "elo": SQLite's lower() folds ASCII only, so the plain match alone missed every accented capital.
  search: sql<UserRef, [string, string, number]>(
    `SELECT id, username, display_name AS "displayName" FROM users
      WHERE disabled = 0 AND deleted_at IS NULL
        AND (username_key LIKE ?1 ESCAPE '\\' OR lower(coalesce(display_name, '')) LIKE ?1 ESCAPE '\\'
             OR skeleton LIKE ?2 ESCAPE '\\' OR display_skeleton LIKE ?2 ESCAPE '\\')
      ORDER BY username_key LIMIT ?3`,
  ),
  // One statement for any number of ids: they travel as one array parameter, never spliced into SQL.
  byIds: sql<UserRef, [number[]]>({
    sqlite: `SELECT id, username, display_name AS "displayName" FROM users
              WHERE id IN (SELECT value FROM json_each(?)) AND disabled = 0 AND deleted_at IS NULL ORDER BY id`,
    postgres: `SELECT id, username, display_name AS "displayName" FROM users
                WHERE id = ANY(?::bigint[]) AND disabled = 0 AND deleted_at IS NULL ORDER BY id`,
  }),
};

export function createUserDirectory(db: Conn) {
  return {
    /** The active users among `ids` (unknown, disabled and deleted ones are left out), by id. */
    async byIds(ids: readonly number[]): Promise<UserRef[]> {
      const unique = [...new Set(ids)].slice(0, MAX_DIRECTORY_IDS);
      return unique.length ? db.all(q.byIds, unique) : [];
    },
    /** Users whose username or display name contains `query` (case-insensitive), by username. */
    search(query: string, limit: number): Promise<UserRef[]> {
      const like = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const needle = query.trim().normalize("NFKC").toLowerCase();
      return db.all(q.search, like(needle), like(usernameSkeleton(needle)), Math.min(Math.max(1, limit), MAX_DIRECTORY_RESULTS));
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
