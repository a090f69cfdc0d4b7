// Group commit, for both engines. Every write is a Command (store.ts); all commands submitted while
// a batch is forming run in ONE transaction, and only after COMMIT returns (durable: SQLite
// synchronous=FULL, Postgres synchronous_commit=on) are their announcements delivered and does each
// submitter hear back. One fsync then covers hundreds of messages instead of one. One batch is in
// flight at a time; the next one forms meanwhile and starts as soon as the previous has settled.
//
// Rules for a command's code: it throws AppError only BEFORE it writes or announces anything
// (checks first, then writes), so a refused item leaves nothing behind in the shared transaction.
// Any other error aborts the batch, which is then retried item by item so one bad item cannot sink
// the others — except DatabaseUnavailable, which fails the whole batch at once (retrying each item
// would only wait out the same dead connection N times).
import type { Announcement, Announcer } from "../announcements.ts";
import { AppError, DatabaseUnavailable, errors } from "../errors.ts";
import type { Query } from "./query.ts";
import type { Command, Conn, Engine, RunResult, Tx, WriteOptions, WriteStats } from "./store.ts";

interface Job {
  command: Command<unknown, unknown>;
  input: unknown;
  committed: ((result: unknown) => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Items in a committed batch and seconds from BEGIN to COMMIT. Must not throw. */
export type BatchObserver = (items: number, seconds: number) => void;

type Outcome = { ok: true; value: unknown; announced: Announcement[] } | { ok: false; error: unknown };

/** The transaction's connection as an engine provides it. */
export interface EngineTx extends Conn {
  readonly engine: Engine;
}

export interface EngineHooks {
  /** Runs `work` in one transaction: commits on success, rolls back and rejects on failure. */
  transaction<T>(work: (tx: EngineTx) => Promise<T>): Promise<T>;
  /**
   * Called inside the transaction after every command ran, with what they announced: a cluster
   * engine stores it (the outbox) and returns its sequence number.
   */
  persist?(tx: EngineTx, batch: readonly (readonly Announcement[])[]): Promise<number | null>;
}

export interface WriteQueueOptions {
  /** Told when an after-commit step (delivery, a callback) throws; the write itself stands. */
  onAnnounceError?: (error: unknown) => void;
  /** A batch this large starts at once instead of waiting for the end of the loop turn. */
  maxBatch?: number;
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

export class WriteQueue {
  private pending: Job[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private settleWrapper: (settle: () => void) => void = (settle) => settle();
  private announcer: Announcer | null = null;
  /** Told once per committed batch (metrics); two numbers and a call, nothing that could slow it. */
  private observer: BatchObserver | null = null;
  private readonly onAnnounceError: (error: unknown) => void;
  private readonly maxBatch: number;
  readonly stats: WriteStats = { batches: 0, items: 0, largestBatch: 0 };

  constructor(
    private readonly engine: EngineHooks,
    options: WriteQueueOptions = {},
  ) {
    this.onAnnounceError = options.onAnnounceError ?? (() => {});
    this.maxBatch = options.maxBatch ?? 4096;
  }

  setSettleWrapper(wrap: (settle: () => void) => void): void {
    this.settleWrapper = wrap;
  }

  setAnnouncer(announcer: Announcer): void {
    this.announcer = announcer;
  }

  observeBatches(observer: BatchObserver): void {
    this.observer = observer;
  }

  submit<I, O>(command: Command<I, O>, input: I, options: WriteOptions<O> = {}): Promise<O> {
    if (this.closed) return Promise.reject(errors.shuttingDown());
    return new Promise<O>((resolve, reject) => {
      this.pending.push({
        command: command as Command<unknown, unknown>,
        input,
        committed: options.committed as ((result: unknown) => void) | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (this.pending.length >= this.maxBatch) this.kick();
      else if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: it runs after the loop has handed over every frame that
        // arrived together, so they all share the transaction.
        setImmediate(() => this.kick());
      }
    });
  }

  /** Writes everything pending (and waits for what is in flight). Shutdown calls this first. */
  async flush(): Promise<void> {
    while (this.inFlight || this.pending.length > 0) {
      if (this.inFlight) await this.inFlight;
      else this.kick();
    }
  }

  /** Flushes and refuses further work. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    this.scheduled = false;
    if (this.inFlight || this.pending.length === 0) return;
    const jobs = this.pending;
    this.pending = [];
    this.inFlight = this.runBatch(jobs).finally(() => {
      this.inFlight = null;
      // What arrived while this batch was being made durable forms the next one.
      if (this.pending.length > 0) this.kick();
    });
  }

  private async runBatch(jobs: Job[]): Promise<void> {
    let outcomes: Outcome[];
    let seq: number | null = null;
    const started = performance.now();
    try {
      ({ outcomes, seq } = await this.engine.transaction(async (tx) => {
        const results: Outcome[] = [];
        for (const job of jobs) results.push(await runExpected(tx, job));
        return { outcomes: results, seq: await this.persist(tx, results) };
      }));
      this.observer?.(jobs.length, (performance.now() - started) / 1000);
    } catch (batchError) {
      if (jobs.length === 1 || batchError instanceof DatabaseUnavailable) outcomes = jobs.map(() => ({ ok: false, error: batchError }));
      else {
        // Item by item: each is its own transaction (and, in a cluster, its own outbox entry).
        outcomes = [];
        for (const job of jobs) outcomes.push(await this.runAlone(job));
        this.count(jobs.length);
        this.settleWrapper(() => {
          for (let i = 0; i < jobs.length; i++) this.settle(jobs[i]!, outcomes[i]!);
        });
        return;
      }
    }
    this.count(jobs.length);
    this.settleWrapper(() => {
      this.deliver(outcomes, seq);
      for (let i = 0; i < jobs.length; i++) this.settle(jobs[i]!, outcomes[i]!);
    });
  }

  private async persist(tx: EngineTx, outcomes: Outcome[]): Promise<number | null> {
    if (!this.engine.persist) return null;
    const batch = announcedBy(outcomes);
    return batch.length ? this.engine.persist(tx, batch) : null;
  }

  private deliver(outcomes: Outcome[], seq: number | null): void {
    const batch = announcedBy(outcomes);
    if (batch.length === 0 || !this.announcer) return;
    try {
      this.announcer.deliver(batch, seq);
    } catch (error) {
      // The writes are durable; a failed delivery must not turn them into errors for their senders.
      this.onAnnounceError(error);
    }
  }

  private async runAlone(job: Job): Promise<Outcome> {
    try {
      const { outcome, seq } = await this.engine.transaction(async (tx) => {
        const result = await runExpected(tx, job);
        return { outcome: result, seq: await this.persist(tx, [result]) };
      });
      this.deliver([outcome], seq);
      return outcome;
    } catch (error) {
      return { ok: false, error };
    }
  }

  private count(items: number): void {
    this.stats.batches++;
    this.stats.items += items;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, items);
  }

  private settle(job: Job, outcome: Outcome): void {
    if (!outcome.ok) {
      job.reject(outcome.error);
      return;
    }
    try {
      job.committed?.(outcome.value);
    } catch (error) {
      this.onAnnounceError(error);
    }
    job.resolve(outcome.value);
  }
}

function announcedBy(outcomes: readonly Outcome[]): Announcement[][] {
  const batch: Announcement[][] = [];
  for (const outcome of outcomes) if (outcome.ok && outcome.announced.length) batch.push(outcome.announced);
  return batch;
}

/** Runs one job inside the open transaction; an AppError is that job's answer, anything else aborts. */
async function runExpected(tx: EngineTx, job: Job): Promise<Outcome> {
  const jobTx = new JobTx(tx);
  try {
    const value = await job.command.run(jobTx, job.input);
    return { ok: true, value, announced: jobTx.announced };
  } catch (error) {
    if (error instanceof AppError && !(error instanceof DatabaseUnavailable)) return { ok: false, error };
    throw error;
  }
}
