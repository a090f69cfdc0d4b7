// The event loop's side of the password-hashing threads (hash-worker.ts). Bun.password's async
// calls hash on Bun's shared thread pool at the process's own priority: during a login storm on a
// small server, two 64 MiB argon2id hashes and the event loop then share the cores evenly and every
// message waits its turn behind them. These threads run at a lower priority instead, so messages
// keep their latency and logins take the slack (bench: login-storm).
//
// At most `size` threads, started when first needed and ended after a quiet spell (a server that
// nobody logs in to keeps no 64 MiB-hungry threads around). The caller (password-hasher.ts's
// bounded queue) never has more than `size` jobs out, so a job always finds a thread free.

/** From the event loop to a hashing thread. */
export type HashRequest = { id: number; op: "hash"; password: string } | { id: number; op: "verify"; password: string; hash: string };

/** From a hashing thread. */
export type HashReply =
  | { type: "ready"; lowered: boolean; tid: number | null }
  | { type: "done"; id: number; value: string | boolean }
  | { type: "failed"; id: number; message: string };

/** The worker is a second entrypoint of the compiled binary (scripts/compile.ts), like the writer. */
const WORKER_URL = import.meta.url.startsWith("file:///$bunfs/")
  ? "/$bunfs/root/accounts/hash-worker.ts"
  : new URL("./hash-worker.ts", import.meta.url).href;

const IDLE_MS = 30_000;

/** Bun's Worker has ref/unref; the global type is the DOM's one when that library is loaded. */
const holdsProcess = (worker: Worker, hold: boolean) => {
  const bunWorker = worker as unknown as { ref(): void; unref(): void };
  if (hold) bunWorker.ref();
  else bunWorker.unref();
};

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

class HashThread {
  readonly worker = new Worker(WORKER_URL);
  job: { id: number; pending: Pending } | null = null;
  idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the thread's priority could be lowered (null until it said). */
  lowered: boolean | null = null;
  /** The thread's id in the system (Linux's tid; null until it said, or where unknown). */
  tid: number | null = null;
}

export class HashThreads {
  private readonly idle: HashThread[] = [];
  private readonly all = new Set<HashThread>();
  private nextId = 0;

  constructor(
    private readonly size: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  hash(password: string): Promise<string> {
    return this.run({ op: "hash", password }) as Promise<string>;
  }

  /** Rejects when the stored hash is not one argon2/bcrypt can read. */
  verify(password: string, hash: string): Promise<boolean> {
    return this.run({ op: "verify", password, hash }) as Promise<boolean>;
  }

  /** Threads alive now, whether each could lower its priority, and their system ids (tests). */
  threads(): { count: number; lowered: (boolean | null)[]; tids: (number | null)[] } {
    return { count: this.all.size, lowered: [...this.all].map((thread) => thread.lowered), tids: [...this.all].map((thread) => thread.tid) };
  }

  /** Ends every thread at once (a job still out fails). */
  close(): void {
    for (const thread of [...this.all]) this.end(thread, new Error("the password hashing threads were closed"));
  }

  private run(request: { op: "hash"; password: string } | { op: "verify"; password: string; hash: string }): Promise<string | boolean> {
    const thread = this.idle.pop() ?? this.spawn();
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    thread.idleTimer = null;
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      thread.job = { id, pending: { resolve, reject } };
      // Busy threads keep the process alive (a CLI waiting for its hash); idle ones do not.
      holdsProcess(thread.worker, true);
      thread.worker.postMessage({ id, ...request } satisfies HashRequest);
    });
  }

  private spawn(): HashThread {
    if (this.all.size >= this.size) throw new Error(`more than ${this.size} hashes at once (the caller's queue should prevent it)`);
    const thread = new HashThread();
    this.all.add(thread);
    thread.worker.addEventListener("message", (event: MessageEvent<HashReply>) => this.heard(thread, event.data));
    thread.worker.addEventListener("close", () => this.end(thread, new Error("a password hashing thread ended")));
    thread.worker.addEventListener("error", (event) => this.end(thread, new Error((event as ErrorEvent).message || "a password hashing thread failed")));
    return thread;
  }

  private heard(thread: HashThread, reply: HashReply): void {
    if (reply.type === "ready") {
      thread.lowered = reply.lowered;
      thread.tid = reply.tid;
      return;
    }
    const job = thread.job;
    if (!job || job.id !== reply.id) return;
    thread.job = null;
    holdsProcess(thread.worker, false);
    this.idle.push(thread);
    thread.idleTimer = setTimeout(() => this.end(thread, null), this.idleMs);
    thread.idleTimer.unref?.();
    if (reply.type === "done") job.pending.resolve(reply.value);
    else job.pending.reject(new Error(reply.message));
  }

  private end(thread: HashThread, error: Error | null): void {
    if (!this.all.delete(thread)) return;
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    const job = thread.job;
    thread.job = null;
    if (job) job.pending.reject(error ?? new Error("a password hashing thread ended"));
    thread.worker.terminate();
  }
}
