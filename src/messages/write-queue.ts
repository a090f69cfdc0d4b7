// Group commit. Every chat write (a post, an edit, a read mark) is a small synchronous `work`
// function; all work submitted while the event loop is busy with one round of socket reads runs
// in ONE transaction, and only after COMMIT returns (synchronous=FULL: on disk) does each
// submitter hear back. One fsync then covers hundreds of messages instead of one.
//
// Rules for `work`: it throws AppError only BEFORE it writes anything (checks first, then writes),
// so a refused item leaves nothing behind in the shared transaction. Any other error aborts the
// batch, which is then retried item by item so one bad item cannot sink the others.
import type { Database } from "bun:sqlite";
import { AppError } from "../http/errors.ts";

interface Job<T> {
  work: () => T;
  committed: ((result: T) => void) | undefined;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface WriteQueueStats {
  batches: number;
  items: number;
  largestBatch: number;
}

export class WriteQueue {
  private pending: Job<unknown>[] = [];
  private scheduled = false;
  private closed = false;
  private readonly runBatch: (jobs: Job<unknown>[]) => Outcome[];
  readonly stats: WriteQueueStats = { batches: 0, items: 0, largestBatch: 0 };

  private readonly onAnnounceError: (error: unknown) => void;
  private readonly aroundSettle: (settle: () => void) => void;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Database,
    options: {
      /** Told when an after-commit callback throws; the write itself stands. */
      onAnnounceError?: (error: unknown) => void;
      /** Wraps the after-commit phase of a batch, e.g. to send each socket's replies in one write. */
      aroundSettle?: (settle: () => void) => void;
      /** A batch this large is written at once instead of waiting for the end of the loop turn. */
      maxBatch?: number;
    } = {},
  ) {
    this.onAnnounceError = options.onAnnounceError ?? (() => {});
    this.aroundSettle = options.aroundSettle ?? ((settle) => settle());
    this.maxBatch = options.maxBatch ?? 4096;
    this.runBatch = db.transaction((jobs: Job<unknown>[]) => jobs.map(runExpected));
  }

  /**
   * Runs `work` in the next group transaction. After the commit, `committed` runs (in submission
   * order, so broadcasts leave in commit order) and then the promise resolves. Neither happens
   * if the transaction fails.
   */
  submit<T>(work: () => T, committed?: (result: T) => void): Promise<T> {
    if (this.closed) return Promise.reject(new AppError(503, "shutting_down", "The server is shutting down."));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, committed, resolve, reject } as Job<unknown>);
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: it runs after the loop has handed over every frame that
        // arrived together, so they all share the transaction.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything pending now. Shutdown calls this before the database closes. */
  flush(): void {
    this.scheduled = false;
    const jobs = this.pending;
    if (jobs.length === 0) return;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.runBatch(jobs);
    } catch (batchError) {
      outcomes = jobs.length === 1 ? [{ ok: false, error: batchError }] : jobs.map((job) => this.runAlone(job));
    }
    this.stats.batches++;
    this.stats.items += jobs.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, jobs.length);
    this.aroundSettle(() => {
      for (let i = 0; i < jobs.length; i++) settle(jobs[i]!, outcomes[i]!, this.onAnnounceError);
    });
  }

  /** Flushes and refuses further work. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  private runAlone(job: Job<unknown>): Outcome {
    try {
      return this.db.transaction(() => runExpected(job))();
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/** Runs one job inside the open transaction; an AppError is that job's answer, anything else aborts. */
function runExpected(job: Job<unknown>): Outcome {
  try {
    return { ok: true, value: job.work() };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error };
    throw error;
  }
}

function settle(job: Job<unknown>, outcome: Outcome, onAnnounceError: (error: unknown) => void): void {
  if (!outcome.ok) {
    job.reject(outcome.error);
    return;
  }
  try {
    job.committed?.(outcome.value);
  } catch (error) {
    // The write is durable; a failed announcement must not turn it into an error for the sender.
    onAnnounceError(error);
  }
  job.resolve(outcome.value);
}
