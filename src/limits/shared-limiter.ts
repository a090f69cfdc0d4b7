// Rate limits that must hold for a user or an address whichever node a request reaches. One
// interface, two implementations: in memory (one node) and in Redis (a cluster: cluster/redis-limiter.ts).
import { KeyedLimiter, type BucketOptions, type LimitResult } from "./token-bucket.ts";

export interface SharedLimiter {
  /** Takes `cost` tokens from bucket `key` of the family `name` (each family has its own options). */
  take(name: string, options: BucketOptions, key: string, cost?: number): Promise<LimitResult>;
}

export class MemoryLimiter implements SharedLimiter {
  private readonly families = new Map<string, KeyedLimiter>();

  constructor(private readonly maxKeys = 100_000) {}

  async take(name: string, options: BucketOptions, key: string, cost = 1): Promise<LimitResult> {
    return this.takeNow(name, options, key, cost);
  }

  /** The same, answered at once: for callers on the embedded engine's hot path. */
  takeNow(name: string, options: BucketOptions, key: string, cost = 1): LimitResult {
    let family = this.families.get(name);
    if (!family) this.families.set(name, (family = new KeyedLimiter({ ...options, maxKeys: this.maxKeys })));
    return family.take(key, Date.now(), cost);
  }
}
