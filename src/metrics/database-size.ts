// The database's size for the metrics gauges: SQLite's file and its WAL from the file system (the
// WAL is what grows when checkpoints fall behind), Postgres's from pg_database_size.
import { statSync } from "node:fs";
import { sql } from "../db/query.ts";
import type { Store } from "../db/store.ts";

const pgSize = sql<{ bytes: number }, []>({ sqlite: "SELECT 0 AS bytes", postgres: `SELECT pg_database_size(current_database()) AS bytes` });

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export async function databaseSize(store: Store): Promise<{ database: number; wal: number | null }> {
  if (store.engine === "sqlite") return { database: sizeOf(store.location), wal: sizeOf(`${store.location}-wal`) };
  return { database: (await store.read.get(pgSize))?.bytes ?? 0, wal: null };
}
