// Opens the embedded database file with the pragmas every connection needs. The store (store.ts)
// opens one writer and one reader this way; ops commands (backup, doctor) open their own.
import { Database } from "bun:sqlite";
import { chmodSync, existsSync } from "node:fs";
import { migrate } from "./migrate.ts";

export type { Database };

/**
 * bun:sqlite defaults to busy_timeout 0 and foreign_keys off, so both are set here;
 * synchronous=FULL makes a commit durable before anything is acknowledged. secure_delete zeroes what
 * a delete or an erased message frees, so deleted text (retention, deletions) does not linger in free
 * pages of the file.
 */
export function openDatabase(path: string, options: { migrate?: boolean; readonly?: boolean } = {}): Database {
  const db = options.readonly ? new Database(path, { readonly: true, strict: true }) : new Database(path, { create: true, strict: true });
  try {
    if (!options.readonly) db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA trusted_schema = OFF");
    if (!options.readonly) db.exec("PRAGMA secure_delete = ON");
    if (options.migrate !== false && !options.readonly) migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (path !== ":memory:" && !options.readonly) {
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
    }
  }
  return db;
}
