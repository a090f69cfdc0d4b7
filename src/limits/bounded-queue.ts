// Runs at most `maxActive` tasks at once and lets at most `maxWaiting` wait; past that it refuses
// at once. Password hashing goes through one of these: argon2id takes ~64 MiB and ~100 ms per
// hash, so a login storm must queue briefly or be turned away, never exhaust memory.
//
// Fair under attack: each task names who asked (a client address). When the queue is full, a
// newcomer takes the place of the newest waiting task of whoever holds the most places, as long as
// that asker then still holds at least as many as the newcomer. One address (or a few) can use the
// whole queue while nobody else needs it, but can never keep anyone else out of it: a full queue
// used to answer every other login 503 until the flood drained (issue 21, §3).

export class QueueFullError extends Error {
  constructor() {
    super("too many tasks waiting");
  }
}

interface Waiter {
  key: string;
  start: () => void;
  refuse: (error: Error) => void;
}

export class BoundedQueue {
  private active = 0;
  private waiting: Waiter[] = [];
  private waitingBy = new Map<string, number>();

  constructor(
    readonly maxActive: number,
    readonly maxWaiting: number,
  ) {}

  async run<T>(task: () => Promise<T>, key = ""): Promise<T> {
    if (this.active < this.maxActive) {
      this.active++;
    } else {
      if (this.waiting.length >= this.maxWaiting) this.makeRoomFor(key);
      // The finishing task hands its slot over directly, so `active` stays counted.
      await new Promise<void>((start, refuse) => {
        this.waiting.push({ key, start, refuse });
        this.count(key, 1);
      });
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        this.count(next.key, -1);
        next.start();
      } else this.active--;
    }
  }

  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** Refuses the newest task of the asker holding the most places, or throws when that would not be fairer. */
  private makeRoomFor(key: string): void {
    const mine = this.waitingBy.get(key) ?? 0;
    let hog = key;
    let most = mine;
    for (const [other, places] of this.waitingBy) {
      if (places > most) [hog, most] = [other, places];
    }
    if (most <= mine + 1) throw new QueueFullError();
    const index = this.waiting.findLastIndex((waiter) => waiter.key === hog);
    const [evicted] = this.waiting.splice(index, 1);
    this.count(hog, -1);
    evicted!.refuse(new QueueFullError());
  }

  private count(key: string, delta: number): void {
    const places = (this.waitingBy.get(key) ?? 0) + delta;
    if (places > 0) this.waitingBy.set(key, places);
    else this.waitingBy.delete(key);
  }
}
