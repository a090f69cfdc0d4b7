import { Database } from "bun:sqlite";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "./migrate.ts";

export type { Database };

/** Creates the data directory (0700) and its files/ folder if missing. */
export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const files = join(dataDir, "files");
  if (!existsSync(files)) mkdirSync(files, { mode: 0o700 });
}

export function databasePath(dataDir: string): string {
  return join(dataDir, "vaultroom.db");
}

/**
 * Opens the one connection this process uses. bun:sqlite defaults to busy_timeout 0 and
 * foreign_keys off, so both are set here; synchronous=FULL makes a commit durable before
 * anything is acknowledged.
 */
export function openDatabase(path: string, options: { migrate?: boolean } = {}): Database {
  const db = new Database(path, { create: true, strict: true });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA trusted_schema = OFF");
    if (options.migrate !== false) migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (path !== ":memory:") {
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600);
    }
  }
  return db;
}
