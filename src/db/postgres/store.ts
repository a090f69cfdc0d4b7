// The cluster engine: Postgres through Bun's built-in client. Every node's write batches take one
// cluster-wide transaction-scoped advisory lock first, so write transactions commit one after
// another: identity values (message ids) are therefore drawn in commit order on every node — a
// client's sync cursor never skips a message committed later with a smaller id — and the checks a
// command makes before it writes (room caps, last admin, taken names) hold across nodes as they do
// on one. Reads take no lock and run in parallel on the pool. Inside a batch, commands that declare
// lanes (posts: their room and author) run side by side, their statements pipelined on the
// transaction's connection: a batch then waits for about as many round trips as its longest command
// makes, not for the sum of everyone's (batch.ts), which is what the write lock is held for.
import { SQL } from "bun";
import type { Logger } from "../../log.ts";
import { describeError } from "../../errors.ts";
import type { Store } from "../store.ts";
import { WriteQueue } from "../write-queue.ts";
import { localRunner } from "../local-runner.ts";
import { PgConn, translate } from "./connection.ts";
import { migratePostgres } from "./migrate.ts";
import { appendEvents } from "./outbox-sql.ts";

export const WRITE_LOCK = 0x5641554c54_02n;

export interface PostgresStore extends Store {
  readonly engine: "postgres";
  readonly sql: SQL;
}

export interface PostgresOptions {
  logger?: Logger;
  /** Connections in the pool (reads run in parallel; writes use one at a time). */
  poolSize?: number;
  applicationName?: string;
  /** Skip migrations (ops that must see the schema as it is). */
  migrate?: boolean;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparsable URL)";
  }
}

export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
  const sql = new SQL({
    url,
    bigint: true,
    max: options.poolSize ?? 8,
    // Fail fast while Postgres is down: a request gets 503 database_unavailable in seconds, not minutes.
    connectionTimeout: 3,
    idleTimeout: 60,
    connection: {
      application_name: options.applicationName ?? "vaultroom",
      // No statement may hold a request (or the write lock) for long; a stuck one becomes a 503.
      statement_timeout: 10_000,
      idle_in_transaction_session_timeout: 15_000,
      lock_timeout: 10_000,
    },
  });
  try {
    if (options.migrate !== false) await migratePostgres(sql);
    else await sql.unsafe("SELECT 1");
  } catch (error) {
    await sql.close();
    throw error;
  }

  const queue = new WriteQueue(
    localRunner({
      concurrent: true,
      bulk: true,
      async transaction(work) {
        try {
          return await sql.begin(async (tx) => {
            await tx.unsafe(`SELECT pg_advisory_xact_lock($1)`, [WRITE_LOCK]);
            return work(new PgConn(tx, false));
          });
        } catch (error) {
          throw translate(error);
        }
      },
      // The outbox: one row per batch, numbered from a sequence drawn under the write lock, so the
      // numbers follow commit order and a node can tell a missed batch from one still in flight.
      async persist(tx, batch) {
        const body = JSON.stringify(batch);
        const row = await tx.get(appendEvents, body, Date.now());
        return { seq: row!.seq, body };
      },
    }),
    { onAnnounceError: (error) => options.logger?.error("announce_failed", { error: describeError(error) }) },
  );

  let closed: Promise<void> | null = null;
  return {
    engine: "postgres",
    sql,
    read: new PgConn(sql, true),
    location: redactUrl(url),
    write: (command, input, writeOptions) => queue.submit(command, input, writeOptions),
    setSettleWrapper: (wrap) => queue.setSettleWrapper(wrap),
    setAnnouncer: (announcer) => queue.setAnnouncer(announcer),
    observeBatches: (observer) => queue.observeBatches(observer),
    // Deleted tuples are reclaimed by autovacuum; nothing to do per pass.
    async compact() {},
    writeStats: queue.stats,
    close() {
      closed ??= (async () => {
        await queue.close();
        await sql.close({ timeout: 5 });
      })();
      return closed;
    },
  };
}
