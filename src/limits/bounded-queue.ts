// Runs at most `maxActive` tasks at once and lets at most `maxWaiting` wait; past that it refuses
// at once. Password hashing goes through one of these: argon2id takes ~64 MiB and ~100 ms per
// hash, so a login storm must queue briefly or be turned away, never exhaust memory.

export class QueueFullError extends Error {
  constructor() {
    super("too many tasks waiting");
  }
}

export class BoundedQueue {
  private active = 0;
  private waiting: Array<() => void> = [];

  constructor(
    readonly maxActive: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.maxActive) {
      this.active++;
    } else {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFullError();
      // The finishing task hands its slot over directly, so `active` stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }
}
