import type { Database } from "bun:sqlite";
import { LATEST_SCHEMA, MIGRATIONS, SchemaTooNewError } from "../migrations/index.ts";

export function schemaVersion(db: Database): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}

/**
 * Applies every pending migration in one transaction, so a failure leaves the database as it was.
 * user_version records how many have been applied.
 */
export function migrate(db: Database): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > LATEST_SCHEMA) throw new SchemaTooNewError(from, LATEST_SCHEMA);
  if (from === LATEST_SCHEMA) return { from, to: from };
  db.transaction(() => {
    for (let version = from + 1; version <= LATEST_SCHEMA; version++) {
      db.exec(MIGRATIONS[version - 1]!.sqlite);
      // PRAGMA takes no bound parameters; version is an integer we control.
      db.exec(`PRAGMA user_version = ${version}`);
    }
  }).immediate();
  return { from, to: LATEST_SCHEMA };
}
