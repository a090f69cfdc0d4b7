// Token buckets for rate limits: a bucket holds up to `capacity` tokens and refills continuously.
// KeyedLimiter keeps one bucket per key (an IP, a username) in a bounded map, so a flood of
// distinct keys cannot grow memory without limit.

export interface BucketOptions {
  /** Burst size: how many takes succeed on a fresh bucket. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly options: BucketOptions,
    now = Date.now(),
  ) {
    this.tokens = options.capacity;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.options.capacity, this.tokens + elapsed * this.options.refillPerSecond);
    this.updatedAt = now;
  }

  /** Takes `cost` tokens; returns 0 when allowed, else the whole seconds until it would be. */
  take(now = Date.now(), cost = 1): number {
    this.refill(now);
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - this.tokens) / this.options.refillPerSecond));
  }

  /** True when the bucket has refilled completely (it then carries no state worth keeping). */
  isFull(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.options.capacity;
  }
}

export interface LimitResult {
  allowed: boolean;
  /** Seconds to wait before retrying; 0 when allowed. */
  retryAfterSeconds: number;
  /** True for the first refusal after allowed takes: log a lockout once, not on every refused try. */
  firstRefusal: boolean;
}

export class KeyedLimiter {
  private buckets = new Map<string, { bucket: TokenBucket; refusing: boolean }>();

  constructor(readonly options: BucketOptions & { maxKeys?: number }) {}

  take(key: string, now = Date.now(), cost = 1): LimitResult {
    let entry = this.buckets.get(key);
    if (entry) {
      // Re-insert so Map order is least-recently-used first.
      this.buckets.delete(key);
    } else {
      this.evict(now);
      entry = { bucket: new TokenBucket(this.options, now), refusing: false };
    }
    this.buckets.set(key, entry);
    const wait = entry.bucket.take(now, cost);
    const firstRefusal = wait > 0 && !entry.refusing;
    entry.refusing = wait > 0;
    return { allowed: wait === 0, retryAfterSeconds: wait, firstRefusal };
  }

  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    const max = this.options.maxKeys ?? 10_000;
    if (this.buckets.size < max) return;
    // Full buckets carry no state: drop them first; then the least recently used, down to 90% so a
    // flood of new keys pays for this scan once per many keys, not on every one.
    for (const [key, entry] of this.buckets) {
      if (entry.bucket.isFull(now)) this.buckets.delete(key);
    }
    const target = Math.floor(max * 0.9);
    while (this.buckets.size > target) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
  }
}
