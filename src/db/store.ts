// The data-access layer's contract: what domain code may do with the database, the same for both
// engines (bun:sqlite for the appliance, Postgres for a cluster). Domain code never imports an
// engine; it receives a Store and runs typed queries (query.ts) through it.
//
// - Reads go through `store.read`: each statement sees what is committed, never a write in progress.
// - Writes go through `store.write(command, input)`: commands submitted together share one
//   transaction (group commit), and a command's promise settles only after that transaction has
//   committed (durable on disk: SQLite synchronous=FULL, Postgres synchronous_commit on). See
//   write-queue.ts for the rules a command's code follows.
import type { Announcement, Announcer } from "../announcements.ts";
import { register } from "./command-registry.ts";
import type { Query } from "./query.ts";

export type Engine = "sqlite" | "postgres";

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** Runs typed statements. Values come back as JS numbers, strings, null and Uint8Array. */
export interface Conn {
  get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row | null>;
  all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row[]>;
  run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<RunResult>;
}

/** The connection inside a write transaction. */
export interface Tx extends Conn {
  readonly engine: Engine;
  /**
   * Says what this command did, for delivery after the commit (announcements.ts). Part of the write:
   * a command announces only after its checks have passed, and a refused command's announcements
   * are dropped with it.
   */
  announce(item: Announcement): void;
}

/**
 * A unit of writing: checks and writes that must be atomic, run inside the group transaction. It has
 * a name so that it can run wherever the transaction runs (a writer thread, another process), and
 * its input and output are plain data.
 */
export interface Command<I, O> {
  readonly name: string;
  run(tx: Tx, input: I): Promise<O>;
  /**
   * What this run may touch that another command could too. Given, a Postgres batch may run it side
   * by side with commands whose lanes are all different (their statements pipelined on the one
   * connection: a round trip each is what a batch waits on), and after every earlier command of
   * one of its lanes. Without lanes a command runs alone, after everything before it. A command
   * gives lanes only when it reads and writes nothing that a command of other lanes may write.
   */
  lanes?(input: I): readonly string[] | undefined;
  /**
   * The same command for many inputs at once, on an engine whose statements travel to a server
   * (EngineHooks.bulk): where one statement can do for hundreds of inputs what `run` does with a few
   * statements each (plain posts: one check and one insert per batch). Answers each input or leaves
   * it (`undefined`) to `run`, which the batch then calls for the inputs left, in order, after this.
   * So that ids and announcements keep the inputs' order, it must leave every input that shares a
   * lane with an earlier input it left. It throws only when the transaction failed (never an
   * AppError: an input that would be refused is left to `run`, which refuses it as it always does).
   */
  runMany?(tx: Conn, inputs: readonly I[]): Promise<(ManyResult<O> | undefined)[]>;
}

/** One input's answer from Command.runMany, with what it announced. */
export interface ManyResult<O> {
  value: O;
  announced: Announcement[];
}

export function command<I, O>(
  name: string,
  run: (tx: Tx, input: I) => Promise<O>,
  options: Pick<Command<I, O>, "lanes" | "runMany"> = {},
): Command<I, O> {
  const defined: Command<I, O> = { name, run, ...options };
  register(defined as Command<unknown, unknown>);
  return defined;
}

export interface WriteOptions<O> {
  /**
   * Runs right after the commit, before the promise resolves, in commit order with the batch's other
   * callbacks (so announcements leave in the order things happened). Must not throw an AppError.
   */
  committed?: (result: O) => void;
}

export interface WriteStats {
  batches: number;
  items: number;
  largestBatch: number;
}

export interface Store {
  readonly engine: Engine;
  readonly read: Conn;
  write<I, O>(command: Command<I, O>, input: I, options?: WriteOptions<O>): Promise<O>;
  /** Wraps the after-commit phase of a batch (e.g. to cork each socket's replies into one write). */
  setSettleWrapper(wrap: (settle: () => void) => void): void;
  /** Where committed announcements go (the socket layer's hub, a cluster bus); none until set. */
  setAnnouncer(announcer: Announcer): void;
  readonly writeStats: WriteStats;
  /**
   * After bulk deletions (retention): makes the deleted data leave the database's files as far as
   * the engine allows. SQLite: the WAL, which still holds the old pages, is checkpointed and
   * truncated (freed space is already zeroed: secure_delete). Postgres: nothing (autovacuum).
   */
  compact(): Promise<void>;
  /** Told the size and commit time of every committed batch (metrics). */
  observeBatches(observer: (items: number, seconds: number) => void): void;
  /** Where the data lives, for logs and doctor: a file path or a URL without its password. */
  readonly location: string;
  /** Writes what is queued, refuses further writes and closes the connections. */
  close(): Promise<void>;
}
