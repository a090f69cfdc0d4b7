// Direct database access for tests, the same on both engines: portable SQL text with `?`
// placeholders (src/db/query.ts conventions). Reads go through the store's reader; writes through
// the write queue (a test-only command), so they commit like any other write.
import { sql, type Query } from "../../src/db/query.ts";
import { command, type Store } from "../../src/db/store.ts";

const cache = new Map<string, Query<unknown, unknown[]>>();
const prepared = (text: string) => {
  let query = cache.get(text);
  if (!query) cache.set(text, (query = sql<unknown, unknown[]>(text)));
  return query;
};

const execute = command("test.execute", async (tx, input: { text: string; params: unknown[] }) => {
  const result = await tx.all(prepared(input.text), ...input.params);
  return { rows: result, changes: result.length };
});

const nothing = command("test.settled", async () => {});

const executeRun = command("test.run", async (tx, input: { text: string; params: unknown[] }) => tx.run(prepared(input.text), ...input.params));

export interface TestSql {
  get<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | null>;
  all<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** A write, committed before it resolves; RETURNING rows come back. */
  write<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** A write without RETURNING; resolves with how many rows changed. */
  run(text: string, ...params: unknown[]): Promise<number>;
  /**
   * Resolves once every write submitted before it has committed (the queue commits in submission
   * order), e.g. a write the server started without waiting for it.
   */
  settled(): Promise<void>;
}

/** Reads and writes go to `store`; settled() waits for every node's queue (`all`, in cluster mode). */
export function testSql(store: Store, all: Store[] = [store]): TestSql {
  return {
    get: async <T>(text: string, ...params: unknown[]) => (await store.read.get(prepared(text), ...params)) as T | null,
    all: async <T>(text: string, ...params: unknown[]) => (await store.read.all(prepared(text), ...params)) as T[],
    write: async <T>(text: string, ...params: unknown[]) => (await store.write(execute, { text, params })).rows as T[],
    run: async (text: string, ...params: unknown[]) => (await store.write(executeRun, { text, params })).changes,
    settled: async () => {
      await Promise.all(all.map((each) => each.write(nothing, undefined)));
    },
  };
}
