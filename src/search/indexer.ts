// Indexes new messages for search, shortly after they are posted, off the posting path.
//
// Why not in the posting transaction: tokenizing a message for the two indexes costs several times
// what storing it does (measured here: ~15 µs for the word index and ~45 µs for the trigram index
// per 100-character message, against ~2 µs for the row itself), and posting is what the server does
// most. So posting writes only the message; this indexes what is above search_state.indexed_upto in
// id order (ids grow in commit order on both engines), in small batches, each one command in the
// group commit: the batch and the mark move together, so after a crash the index and its mark agree.
// Edits, deletions and file changes of indexed messages are applied by triggers in their own
// transaction (migration 009), and a search reads what is not indexed yet straight from the messages
// (search.ts), so results are complete and current whatever the indexer's progress.
//
// When: while the server is writing (a commit in the last tick), the indexer waits, so it never
// competes with live traffic; once TAIL_LIMIT messages wait, it indexes anyway, a batch per tick,
// so that searching the unindexed tail stays cheap. Several nodes of a cluster may run it: each batch
// reads the mark inside the transaction, under the write lock, so no message is indexed twice.
import { sql } from "../db/query.ts";
import { command, type Store } from "../db/store.ts";
import { describeError } from "../errors.ts";
import type { Logger } from "../log.ts";

const BATCH = 64;
const TICK_MS = 25;
/** Messages waiting past which the indexer no longer waits for a quiet moment. */
export const TAIL_LIMIT = 20_000;

const q = {
  upto: sql<{ upto: number }, []>(`SELECT indexed_upto AS upto FROM search_state WHERE id = 1`),
  newest: sql<{ id: number | null }, []>(`SELECT max(id) AS id FROM messages`),
  batchEnd: sql<{ end: number | null }, [number, number]>(`SELECT max(id) AS "end" FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?) batch`),
  // SQLite fills its two FTS5 tables; Postgres its one table (its second statement only names the range).
  first: sql<never, [number, number]>({
    sqlite: `INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id > ? AND id <= ? ORDER BY id`,
    postgres: `INSERT INTO message_search (message_id, room_id, author_id, has_file, has_link, doc, words)
                 SELECT id, room_id, author_id, has_file, has_link, doc, vaultroom_search_words(doc) FROM search_source WHERE id > ? AND id <= ?`,
  }),
  second: sql<never, [number, number]>({
    sqlite: `INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id > ? AND id <= ? ORDER BY id`,
    postgres: `SELECT CAST(? AS BIGINT) AS "from", CAST(? AS BIGINT) AS "to"`,
  }),
  mark: sql<never, [number]>(`UPDATE search_state SET indexed_upto = ? WHERE id = 1`),
};

/** Indexes up to `limit` messages above the mark and moves the mark past them. */
export const indexBatch = command("search.index", async (tx, input: { limit: number }): Promise<{ indexed: boolean; upto: number }> => {
  const upto = (await tx.get(q.upto))!.upto;
  const end = (await tx.get(q.batchEnd, upto, input.limit))?.end ?? null;
  if (end === null) return { indexed: false, upto };
  await tx.run(q.first, upto, end);
  await tx.run(q.second, upto, end);
  await tx.run(q.mark, end);
  return { indexed: true, upto: end };
});

export function createIndexer(store: Store, logger: Logger) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = true;
  let running: Promise<void> | null = null;
  let seenBatches = store.writeStats.batches;

  /** Messages not indexed yet (ids are not dense, so this is at most that many). */
  const waiting = async () => ((await store.read.get(q.newest))?.id ?? 0) - (await store.read.get(q.upto))!.upto;

  const tick = async () => {
    const busy = store.writeStats.batches !== seenBatches;
    // While quiet, batch after batch (requests still get in between them); while busy, one per tick.
    while (!stopped) {
      const behind = await waiting();
      if (behind <= 0 || (busy && behind <= TAIL_LIMIT)) break;
      await store.write(indexBatch, { limit: BATCH });
      // Our own commits are not traffic.
      seenBatches = store.writeStats.batches;
      if (busy) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (store.writeStats.batches !== seenBatches) break;
    }
    seenBatches = store.writeStats.batches;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick()
        .catch((error) => logger.warn("search_index_failed", { error: describeError(error) }))
        .finally(() => {
          running = null;
          schedule();
        });
    }, TICK_MS);
    timer.unref?.();
  };

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    /** Indexes everything posted so far, now (tests, and tools that need a complete index). */
    async catchUp(): Promise<void> {
      while ((await store.write(indexBatch, { limit: 1000 })).indexed);
    },
    waiting,
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
