// The embedded engine: one database file in the data directory, two connections in this process.
// The writer belongs to the write queue alone (group commit, BEGIN IMMEDIATE … COMMIT with
// synchronous=FULL); the reader serves every read. WAL lets the reader run while a batch is being
// written and shows it only committed data: a command's awaits inside the batch never let another
// request see (and send out) a row that is not yet durable.
import type { Logger } from "../../log.ts";
import { describeError } from "../../errors.ts";
import type { Store } from "../store.ts";
import { WriteQueue } from "../write-queue.ts";
import { SqliteConn } from "./connection.ts";
import { openDatabase, type Database } from "./open.ts";

export interface SqliteStore extends Store {
  readonly engine: "sqlite";
  /** The writer connection, for maintenance that must hold the write lock (checkpoints). */
  readonly writer: Database;
  /** Synchronous reads for the few places that cannot wait (start-up checks, ops). */
  readonly reader: SqliteConn;
}

export function openSqliteStore(path: string, options: { logger?: Logger } = {}): SqliteStore {
  const writerDb = openDatabase(path);
  let readerDb: Database;
  try {
    readerDb = openDatabase(path, { readonly: true });
  } catch (error) {
    writerDb.close();
    throw error;
  }
  const writer = new SqliteConn(writerDb);
  const reader = new SqliteConn(readerDb);

  const queue = new WriteQueue(
    {
      async transaction(work) {
        writerDb.exec("BEGIN IMMEDIATE");
        try {
          const result = await work(writer);
          writerDb.exec("COMMIT");
          return result;
        } catch (error) {
          if (writerDb.inTransaction) writerDb.exec("ROLLBACK");
          throw error;
        }
      },
    },
    { onAnnounceError: (error) => options.logger?.error("announce_failed", { error: describeError(error) }) },
  );

  let closed: Promise<void> | null = null;
  return {
    engine: "sqlite",
    read: reader,
    reader,
    writer: writerDb,
    location: path,
    write: (command, input, writeOptions) => queue.submit(command, input, writeOptions),
    setSettleWrapper: (wrap) => queue.setSettleWrapper(wrap),
    setAnnouncer: (announcer) => queue.setAnnouncer(announcer),
    observeBatches: (observer) => queue.observeBatches(observer),
    async compact() {
      // Between batches (flush returns with no transaction open, and the next one starts on a later
      // turn of the loop), so the checkpoint runs on the writer while it is idle.
      await queue.flush();
      writerDb.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    },
    writeStats: queue.stats,
    close() {
      closed ??= (async () => {
        await queue.close();
        readerDb.close();
        try {
          writerDb.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } finally {
          writerDb.close();
        }
      })();
      return closed;
    },
  };
}
