// Group commit, for both engines. Every write is a Command (store.ts); all commands submitted while
// a batch is forming run in ONE transaction (batch.ts), and only after COMMIT returns (durable:
// SQLite synchronous=FULL, Postgres synchronous_commit=on) are their announcements delivered and does
// each submitter hear back. One fsync then covers hundreds of messages instead of one. While one
// batch is being made durable the next one forms; a runner that works off the event loop (the SQLite
// writer thread) may take the next one before the previous has committed, and always answers in order.
import type { Announcer } from "../announcements.ts";
import { errors } from "../errors.ts";
import { announcedBy, type BatchJob, type BatchResult, type Outcome } from "./batch.ts";
import type { Command, WriteOptions, WriteStats } from "./store.ts";

/** Commands in a committed batch and seconds from BEGIN to COMMIT. Must not throw. */
export type BatchObserver = (items: number, seconds: number) => void;

interface Job extends BatchJob {
  committed: ((result: unknown) => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs a batch and answers with its outcomes; batches it is given are answered in the order given. */
export interface BatchRunner {
  run(jobs: readonly BatchJob[]): Promise<BatchResult>;
  /** Batches that may be handed over before the previous ones are answered. */
  readonly maxInFlight: number;
}

export interface WriteQueueOptions {
  /** Told when an after-commit step (delivery, a callback) throws; the write itself stands. */
  onAnnounceError?: (error: unknown) => void;
  /** A batch this large starts at once instead of waiting for the end of the loop turn. */
  maxBatch?: number;
}

export class WriteQueue {
  private pending: Job[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** The previous batch's settling: batches settle strictly in the order they were handed over. */
  private lastSettled: Promise<void> = Promise.resolve();
  private closed = false;
  private settleWrapper: (settle: () => void) => void = (settle) => settle();
  private announcer: Announcer | null = null;
  private readonly onAnnounceError: (error: unknown) => void;
  private readonly maxBatch: number;
  private idle: (() => void)[] = [];
  /** Told once per committed batch (metrics): two numbers and a call, nothing that could slow it. */
  private observer: BatchObserver | null = null;
  readonly stats: WriteStats = { batches: 0, items: 0, largestBatch: 0 };

  constructor(
    private readonly runner: BatchRunner,
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
    while (this.inFlight > 0 || this.pending.length > 0) {
      if (this.pending.length > 0 && this.inFlight < this.runner.maxInFlight) this.kick();
      else await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  /** Flushes and refuses further work. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private kick(): void {
    this.scheduled = false;
    if (this.inFlight >= this.runner.maxInFlight || this.pending.length === 0) return;
    const jobs = this.pending;
    this.pending = [];
    this.inFlight++;
    const result = this.runner.run(jobs).catch((error: unknown): BatchResult => ({ outcomes: jobs.map(() => ({ ok: false, error })), commits: [] }));
    this.lastSettled = this.lastSettled.then(async () => {
      this.settle(jobs, await result);
      this.inFlight--;
      // What arrived meanwhile forms the next batch.
      if (this.pending.length > 0) this.kick();
      for (const wake of this.idle.splice(0)) wake();
    });
  }

  private settle(jobs: Job[], result: BatchResult): void {
    this.stats.batches++;
    this.stats.items += jobs.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, jobs.length);
    if (result.commits.length > 0 && result.seconds !== undefined) this.observer?.(jobs.length, result.seconds);
    this.settleWrapper(() => {
      for (const commit of result.commits) this.deliver(result.outcomes.slice(commit.from, commit.to), commit.seq, commit.body);
      for (let i = 0; i < jobs.length; i++) this.settleOne(jobs[i]!, result.outcomes[i]!);
    });
  }

  private deliver(outcomes: Outcome[], seq: number | null, json: string | undefined): void {
    const batch = announcedBy(outcomes);
    if (batch.length === 0 || !this.announcer) return;
    try {
      this.announcer.deliver(batch, seq, json);
    } catch (error) {
      // The writes are durable; a failed delivery must not turn them into errors for their senders.
      this.onAnnounceError(error);
    }
  }

  private settleOne(job: Job, outcome: Outcome): void {
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
