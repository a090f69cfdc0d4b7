// Running one group-commit batch: every command in ONE transaction, each with its own view of it
// (its announcements), then — on a cluster engine — the batch's announcements stored in the outbox
// before COMMIT. Used by the write queue on the event loop (Postgres, or SQLite in tests and tools)
// and by the SQLite writer thread (sqlite/writer-worker.ts), so both follow the same rules:
//
// A command throws AppError only BEFORE it writes or announces anything (checks first, then writes),
// so a refused item leaves nothing behind in the shared transaction. Any other error aborts the
// batch, which is then retried item by item so one bad item cannot sink the others — except
// DatabaseUnavailable, which fails the whole batch at once (retrying each item would only wait out
// the same dead connection N times).
import type { Announcement } from "../announcements.ts";
import { AppError, DatabaseUnavailable } from "../errors.ts";
import type { Query } from "./query.ts";
import type { Command, Conn, Engine, RunResult, Tx } from "./store.ts";

export interface BatchJob {
  command: Command<unknown, unknown>;
  input: unknown;
}

export type Outcome = { ok: true; value: unknown; announced: Announcement[] } | { ok: false; error: unknown };

/** Outcomes [from, to) committed together; with an outbox, their entry's number and stored JSON. */
export interface Commit {
  from: number;
  to: number;
  seq: number | null;
  /** The announcements as the outbox stored them (JSON), so that nobody serialises them again. */
  body?: string;
}

/** What an engine's outbox stored for a batch. */
export interface Persisted {
  seq: number;
  body: string;
}

export interface BatchResult {
  outcomes: Outcome[];
  /** Each group of outcomes committed together, with its outbox number (null on SQLite). */
  commits: Commit[];
  /** Seconds the batch's transaction(s) took, from BEGIN to COMMIT (metrics). */
  seconds?: number;
}

/** The transaction's connection as an engine provides it. */
export interface EngineTx extends Conn {
  readonly engine: Engine;
}

export interface EngineHooks {
  /** Runs `work` in one transaction: commits on success, rolls back and rejects on failure. */
  transaction<T>(work: (tx: EngineTx) => Promise<T>): Promise<T>;
  /**
   * Called inside the transaction after every command ran, with what they announced: a cluster
   * engine stores it (the outbox) and returns its sequence number and the JSON it stored.
   */
  persist?(tx: EngineTx, batch: readonly (readonly Announcement[])[]): Promise<Persisted>;
  /**
   * Commands with lanes may run side by side (Command.lanes): for an engine whose statements travel
   * to a server, so that a batch costs fewer round trips than statements. SQLite runs them in order.
   */
  concurrent?: boolean;
  /**
   * Commands that can take many inputs in one go (Command.runMany) are given each run of
   * consecutive jobs of theirs: for an engine where a statement's round trip and per-statement
   * overhead dominate (Postgres). SQLite runs every job on its own.
   */
  bulk?: boolean;
}

/** One command's view of the transaction: the engine's connection plus its own announcements. */
class JobTx implements Tx {
  readonly announced: Announcement[] = [];
  readonly engine: Engine;
  constructor(private readonly conn: EngineTx) {
    this.engine = conn.engine;
  }
  get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row | null> {
    return this.conn.get(query, ...params);
  }
  all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<Row[]> {
    return this.conn.all(query, ...params);
  }
  run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P): Promise<RunResult> {
    return this.conn.run(query, ...params);
  }
  announce(item: Announcement): void {
    this.announced.push(item);
  }
}

/** Runs one job inside the open transaction; an AppError is that job's answer, anything else aborts. */
async function runExpected(tx: EngineTx, job: BatchJob): Promise<Outcome> {
  const jobTx = new JobTx(tx);
  try {
    const value = await job.command.run(jobTx, job.input);
    return { ok: true, value, announced: jobTx.announced };
  } catch (error) {
    if (error instanceof AppError && !(error instanceof DatabaseUnavailable)) return { ok: false, error };
    throw error;
  }
}

export function announcedBy(outcomes: readonly Outcome[]): Announcement[][] {
  const batch: Announcement[][] = [];
  for (const outcome of outcomes) if (outcome.ok && outcome.announced.length) batch.push(outcome.announced);
  return batch;
}

async function persist(engine: EngineHooks, tx: EngineTx, outcomes: Outcome[]): Promise<Persisted | null> {
  if (!engine.persist) return null;
  const batch = announcedBy(outcomes);
  return batch.length ? engine.persist(tx, batch) : null;
}

function commit(from: number, to: number, persisted: Persisted | null): Commit {
  return persisted ? { from, to, seq: persisted.seq, body: persisted.body } : { from, to, seq: null };
}

export async function executeBatch(engine: EngineHooks, jobs: readonly BatchJob[]): Promise<BatchResult> {
  const started = performance.now();
  const result = await runBatch(engine, jobs);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** Every job in order, each after the previous one has finished. */
async function runInOrder(tx: EngineTx, jobs: readonly BatchJob[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const job of jobs) outcomes.push(await runExpected(tx, job));
  return outcomes;
}

/**
 * Every job, each after the earlier jobs it shares a lane with (and after every earlier job when it
 * has no lanes, as every later job is after it): the same outcomes as in order, as long as commands
 * declare their lanes truly. When one fails outright (the transaction is then lost), no job starts
 * any more, and this waits for those running before it throws: none may send a statement once the
 * transaction is rolled back (it would run outside it).
 */
async function runInLanes(tx: EngineTx, jobs: readonly BatchJob[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(jobs.length);
  let failure: { error: unknown } | null = null;
  let barrier: Promise<void> = Promise.resolve();
  let running: Promise<void>[] = [];
  const tails = new Map<string, Promise<void>>();
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    const lanes = job.command.lanes?.(job.input);
    const after = lanes ? [barrier, ...lanes.flatMap((lane) => tails.get(lane) ?? [])] : running;
    const done = Promise.all(after).then(async () => {
      if (failure) return;
      try {
        outcomes[i] = await runExpected(tx, job);
      } catch (error) {
        failure ??= { error };
      }
    });
    if (lanes) {
      for (const lane of lanes) tails.set(lane, done);
      running.push(done);
    } else {
      barrier = done;
      tails.clear();
      running = [done];
    }
  }
  await Promise.all(running);
  if (failure) throw (failure as { error: unknown }).error;
  return outcomes;
}

/** Every job, the ordinary way for the engine. */
function runJobs(engine: EngineHooks, tx: EngineTx, jobs: readonly BatchJob[]): Promise<Outcome[]> {
  return engine.concurrent && jobs.length > 1 ? runInLanes(tx, jobs) : runInOrder(tx, jobs);
}

/**
 * Every job, each run of consecutive jobs of a command with runMany handed to it at once, then the
 * jobs it left run the ordinary way; the runs follow one another in the batch's order.
 */
async function runInBulk(engine: EngineHooks, tx: EngineTx, jobs: readonly BatchJob[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(jobs.length);
  for (let from = 0; from < jobs.length; ) {
    // A run: consecutive jobs of one command that has runMany, or consecutive jobs of commands without.
    const command = jobs[from]!.command;
    const sameRun = command.runMany ? (job: BatchJob) => job.command === command : (job: BatchJob) => !job.command.runMany;
    let to = from + 1;
    while (to < jobs.length && sameRun(jobs[to]!)) to++;
    const run = jobs.slice(from, to);
    let left = run.map((_job, i) => i);
    if (command.runMany) {
      const many = await command.runMany(tx, run.map((job) => job.input));
      left = left.filter((i) => {
        const answer = many[i];
        if (answer) outcomes[from + i] = { ok: true, value: answer.value, announced: answer.announced };
        return !answer;
      });
    }
    const rest = await runJobs(engine, tx, left.map((i) => run[i]!));
    left.forEach((i, k) => (outcomes[from + i] = rest[k]!));
    from = to;
  }
  return outcomes;
}

async function runBatch(engine: EngineHooks, jobs: readonly BatchJob[]): Promise<BatchResult> {
  try {
    return await engine.transaction(async (tx) => {
      const outcomes = engine.bulk ? await runInBulk(engine, tx, jobs) : await runJobs(engine, tx, jobs);
      return { outcomes, commits: [commit(0, jobs.length, await persist(engine, tx, outcomes))] };
    });
  } catch (batchError) {
    if (jobs.length === 1 || batchError instanceof DatabaseUnavailable) {
      return { outcomes: jobs.map(() => ({ ok: false, error: batchError })), commits: [] };
    }
    // Item by item: each is its own transaction (and, in a cluster, its own outbox entry).
    const outcomes: Outcome[] = [];
    const commits: BatchResult["commits"] = [];
    for (const [i, job] of jobs.entries()) {
      try {
        const { outcome, persisted } = await engine.transaction(async (tx) => {
          const result = await runExpected(tx, job);
          return { outcome: result, persisted: await persist(engine, tx, [result]) };
        });
        outcomes.push(outcome);
        commits.push(commit(i, i + 1, persisted));
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    return { outcomes, commits };
  }
}
