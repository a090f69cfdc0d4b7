// The event loop's side of the SQLite writer thread (writer-worker.ts): hands it batches, hears the
// outcomes, and keeps it alive. Two batches may be handed over at once, so the thread starts the next
// as soon as a COMMIT returns, without waiting for a round trip through the event loop.
//
// If the thread dies (a crash, an out-of-memory), the batches it had not answered fail with
// internal_error — they may or may not have committed; a client that retries with the same clientId
// gets the message stored once either way — and a new thread takes over for the next batch.
import { fromErrorData } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import type { BatchJob, BatchResult } from "../batch.ts";
import type { BatchRunner } from "../write-queue.ts";
import { decodeMessage, encodeMessage, type FromWriter, type ToWriter, type WriterSetup } from "./writer-protocol.ts";

interface Waiting {
  resolve: (result: BatchResult) => void;
  reject: (error: Error) => void;
}

/**
 * In the compiled binary this module is bundled into the main entrypoint, whose URL is the binary's
 * own; the writer is a second entrypoint (scripts/compile.ts), stored under its path relative to the
 * entrypoints' common folder, src/.
 */
const WORKER_URL = import.meta.url.startsWith("file:///$bunfs/")
  ? "/$bunfs/root/db/sqlite/writer-worker.ts"
  : new URL("./writer-worker.ts", import.meta.url).href;

/** Replacements of a dead writer allowed per minute; past that the server stops trying and says so. */
const MAX_RESTARTS_PER_MINUTE = 5;

/** Bun's Worker can stop keeping the process alive (and start again); the DOM type does not say so. */
type BunWorker = Worker & { ref(): void; unref(): void };

let prestarted: BunWorker | null = null;

/**
 * Starts a writer thread now, before the server's own modules are loaded: the thread spends ~130 ms
 * loading its copy of them, and on a machine with two cores that overlaps the main thread's ~270 ms
 * instead of following it (cold start). The first store opened adopts it; it waits, unreferenced
 * (it keeps no process alive), until told which database to open.
 */
export function prestartWriter(): void {
  if (prestarted) return;
  prestarted = new Worker(WORKER_URL) as BunWorker;
  prestarted.unref();
}

export class WriterThread implements BatchRunner {
  readonly maxInFlight = 2;
  private worker!: Worker;
  private ready!: Promise<string[]>;
  private readonly waiting = new Map<number, Waiting>();
  private readonly checkpoints = new Map<number, () => void>();
  private nextId = 0;
  private closing: Promise<void> | null = null;
  /** How many times a thread died and was replaced (tests, metrics). */
  restarts = 0;
  private recentDeaths: number[] = [];
  private startFailure: ((error: Error) => void) | null = null;

  constructor(
    private readonly setup: WriterSetup,
    private readonly logger?: Logger,
  ) {
    this.spawn();
  }

  /** Resolves with the command names the thread knows once it has opened the database. */
  started(): Promise<string[]> {
    return this.ready;
  }

  async run(jobs: readonly BatchJob[]): Promise<BatchResult> {
    await this.ready;
    const id = ++this.nextId;
    const result = new Promise<BatchResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.send({ type: "batch", id, jobs: jobs.map((job) => ({ name: job.command.name, input: job.input })) });
    return result;
  }

  /** Checkpoints and truncates the WAL after the batches already handed over (retention). */
  async checkpoint(): Promise<void> {
    await this.ready;
    const id = ++this.nextId;
    const done = new Promise<void>((resolve) => this.checkpoints.set(id, resolve));
    this.send({ type: "checkpoint", id });
    return done;
  }

  /** Lets the thread finish what it was given, checkpoint and close the database; then ends it. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ready.catch(() => undefined);
      const closed = new Promise<void>((resolve) => {
        const done = (event: MessageEvent<string>) => {
          if (decodeMessage<FromWriter>(event.data).type === "closed") resolve();
        };
        this.worker.addEventListener("message", done);
        this.worker.addEventListener("close", () => resolve(), { once: true });
      });
      this.send({ type: "close" });
      await closed;
      this.worker.terminate();
    })();
    return this.closing;
  }

  private send(message: ToWriter): void {
    this.worker.postMessage(encodeMessage(message));
  }

  private spawn(): void {
    const worker = prestarted ?? (new Worker(WORKER_URL) as BunWorker);
    prestarted = null;
    worker.ref();
    this.worker = worker;
    this.ready = new Promise<string[]>((resolve, reject) => {
      this.startFailure = reject;
      const first = (event: MessageEvent<string>) => {
        const message = decodeMessage<FromWriter>(event.data);
        if (message.type === "ready") resolve(message.commands);
        else if (message.type === "failed") reject(new Error(`the database writer could not start: ${message.message}`));
      };
      worker.addEventListener("message", first, { once: true });
    });
    // Nobody may wait on an unhandled rejection; run() and started() report it.
    this.ready.catch(() => undefined);
    worker.addEventListener("message", (event: MessageEvent<string>) => this.heard(decodeMessage<FromWriter>(event.data)));
    let started = false;
    this.ready.then(() => (started = true), () => undefined);
    worker.addEventListener("close", () => {
      if (started) this.died(worker);
      else this.failedToStart(worker);
    });
    worker.addEventListener("error", (event) => {
      this.logger?.error("writer_thread_error", { error: (event as ErrorEvent).message });
    });
    this.send({ type: "open", setup: this.setup });
  }

  private failedToStart(worker: Worker): void {
    if (worker !== this.worker || this.closing) return;
    this.startFailure?.(new Error("the database writer thread ended before it was ready (see the log)"));
  }

  private heard(message: FromWriter): void {
    if (message.type === "checkpointed") {
      this.checkpoints.get(message.id)?.();
      this.checkpoints.delete(message.id);
      return;
    }
    if (message.type !== "done") return;
    const waiting = this.waiting.get(message.id);
    if (!waiting) return;
    this.waiting.delete(message.id);
    waiting.resolve({
      outcomes: message.outcomes.map((outcome) =>
        outcome.ok ? outcome : { ok: false, error: "app" in outcome ? fromErrorData(outcome.app) : new Error(outcome.internal) },
      ),
      commits: message.commits.map((commit) => ({ ...commit, seq: null })),
      seconds: message.seconds,
    });
  }

  private died(worker: Worker): void {
    if (worker !== this.worker || this.closing) return;
    const lost = [...this.waiting.values()];
    this.waiting.clear();
    this.restarts++;
    const now = Date.now();
    this.recentDeaths = [...this.recentDeaths.filter((at) => now - at < 60_000), now];
    this.logger?.error("writer_thread_died", { unanswered: lost.length, restarts: this.restarts });
    for (const waiting of lost) waiting.reject(new Error("the database writer stopped before answering"));
    // A checkpoint is best effort: the next pass asks again.
    for (const resolve of this.checkpoints.values()) resolve();
    this.checkpoints.clear();
    if (this.recentDeaths.length > MAX_RESTARTS_PER_MINUTE) {
      // A writer that cannot stay up (a damaged database, no memory) is not replaced in a tight loop:
      // every write now fails with internal_error and the log says why.
      this.logger?.error("writer_thread_given_up", { restartsInLastMinute: this.recentDeaths.length });
      this.ready = Promise.reject(new Error("the database writer keeps failing; see the log"));
      this.ready.catch(() => undefined);
      return;
    }
    this.spawn();
  }
}
