import type { Database } from "bun:sqlite";
import { MIGRATIONS } from "./migrations/index.ts";

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `the database has schema version ${found} but this VaultRoom knows only up to ${known}: ` +
        `it was written by a newer VaultRoom; run that version or restore a backup`,
    );
  }
}

export function schemaVersion(db: Database): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}

export const LATEST_SCHEMA = MIGRATIONS.length;

/**
 * Applies every pending migration in one transaction, so a failure leaves the database as it was.
 * Migrations are forward-only and numbered; user_version records how many have been applied.
 */
export function migrate(db: Database): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > LATEST_SCHEMA) throw new SchemaTooNewError(from, LATEST_SCHEMA);
  if (from === LATEST_SCHEMA) return { from, to: from };
  db.transaction(() => {
    for (let version = from + 1; version <= LATEST_SCHEMA; version++) {
      db.exec(MIGRATIONS[version - 1]!.sql);
      // PRAGMA takes no bound parameters; version is an integer we control.
      db.exec(`PRAGMA user_version = ${version}`);
    }
  }).immediate();
  return { from, to: LATEST_SCHEMA };
}
