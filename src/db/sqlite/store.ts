// The embedded engine: one database file in the data directory. Reads use a read-only connection on
// the event loop; writes go to the writer — a thread of its own by default (writer-thread.ts), so a
// commit's fsync never stalls sockets, HTTP or reads — or, for tools and some tests, a connection on
// the event loop itself. WAL lets the reader run while a batch is being written and shows it only
// committed data: no request ever sees (and sends out) a row that is not yet durable.
import type { Logger } from "../../log.ts";
import { describeError } from "../../errors.ts";
import type { Store } from "../store.ts";
import { localRunner } from "../local-runner.ts";
import { WriteQueue, type BatchRunner } from "../write-queue.ts";
import { SqliteConn } from "./connection.ts";
import { sqliteEngine } from "./engine.ts";
import { openDatabase, type Database } from "./open.ts";
import { WriterThread } from "./writer-thread.ts";

export interface SqliteStore extends Store {
  readonly engine: "sqlite";
  /** Synchronous reads for the few places that cannot wait (start-up checks, ops). */
  readonly reader: SqliteConn;
  /** The writer thread, when there is one (tests watch its restarts). */
  readonly writerThread: WriterThread | null;
}

export interface SqliteStoreOptions {
  logger?: Logger;
  /** "thread" (default): commits in a writer thread; "loop": on the event loop (tools, some tests). */
  writer?: "thread" | "loop";
  /** Extra modules defining commands the writer thread must know (tests). */
  commandModules?: string[];
}

export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  // Migrations run here, once, before either connection is in use.
  const writerDb = openDatabase(path);
  let readerDb: Database;
  try {
    readerDb = openDatabase(path, { readonly: true });
  } catch (error) {
    writerDb.close();
    throw error;
  }
  const reader = new SqliteConn(readerDb);

  let thread: WriterThread | null = null;
  let runner: BatchRunner;
  if (options.writer === "loop") runner = localRunner(sqliteEngine(writerDb));
  else {
    writerDb.close();
    thread = new WriterThread({ path, modules: options.commandModules ?? [] }, options.logger);
    try {
      await thread.started();
    } catch (error) {
      readerDb.close();
      throw error;
    }
    runner = thread;
  }

  const queue = new WriteQueue(runner, {
    onAnnounceError: (error) => options.logger?.error("announce_failed", { error: describeError(error) }),
  });

  let closed: Promise<void> | null = null;
  return {
    engine: "sqlite",
    read: reader,
    reader,
    writerThread: thread,
    location: path,
    write: (command, input, writeOptions) => queue.submit(command, input, writeOptions),
    setSettleWrapper: (wrap) => queue.setSettleWrapper(wrap),
    setAnnouncer: (announcer) => queue.setAnnouncer(announcer),
    observeBatches: (observer) => queue.observeBatches(observer),
    async compact() {
      // On the writer's own connection, between batches: the thread runs it in its queue; on the
      // loop, flush returns with no transaction open and the next batch starts on a later turn.
      if (thread) return thread.checkpoint();
      await queue.flush();
      writerDb.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    },
    writeStats: queue.stats,
    close() {
      closed ??= (async () => {
        await queue.close();
        readerDb.close();
        if (thread) await thread.close();
        else {
          try {
            writerDb.exec("PRAGMA wal_checkpoint(TRUNCATE)");
          } finally {
            writerDb.close();
          }
        }
      })();
      return closed;
    },
  };
}
