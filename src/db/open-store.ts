// Opens the store the configuration names: the embedded SQLite file in the data directory (the
// default), or Postgres for a cluster.
import type { Logger } from "../log.ts";
import { databasePath } from "./data-dir.ts";
import { openPostgresStore } from "./postgres/store.ts";
import { openSqliteStore } from "./sqlite/store.ts";
import type { Store } from "./store.ts";

export interface DatabaseTarget {
  dataDir: string;
  /** null: SQLite in the data directory; otherwise a postgres:// URL. */
  databaseUrl: string | null;
}

export interface OpenOptions {
  logger?: Logger;
  applicationName?: string;
  /** SQLite: commit in a writer thread (the server) or on the event loop (one-shot tools). */
  writer?: "thread" | "loop";
  /** SQLite writer thread: extra modules that define commands (tests). */
  commandModules?: string[];
}

export async function openStore(target: DatabaseTarget, options: OpenOptions = {}): Promise<Store> {
  if (target.databaseUrl === null) return openSqliteStore(databasePath(target.dataDir), options);
  return openPostgresStore(target.databaseUrl, options);
}
