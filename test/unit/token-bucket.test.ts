import { describe, expect, test } from "bun:test";
import { BoundedQueue, QueueFullError } from "../../src/limits/bounded-queue.ts";
import { KeyedLimiter, TokenBucket } from "../../src/limits/token-bucket.ts";

describe("token bucket", () => {
  test("allows a burst of `capacity`, then says how long to wait", () => {
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 0.5 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(2);
  });

  test("refills continuously and never above capacity", () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 }, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(500)).toBe(1);
    expect(bucket.take(1000)).toBe(0);
    expect(bucket.isFull(1_000_000)).toBe(true);
    expect([bucket.take(1_000_000), bucket.take(1_000_000), bucket.take(1_000_000)]).toEqual([0, 0, 1]);
  });
});

describe("keyed limiter", () => {
  test("keeps one bucket per key", () => {
    const limiter = new KeyedLimiter({ capacity: 1, refillPerSecond: 0.1 });
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("b", 0).allowed).toBe(true);
    const refused = limiter.take("a", 0);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 10, firstRefusal: true });
  });

  test("marks only the first refusal of a streak, so a lockout is logged once", () => {
    const limiter = new KeyedLimiter({ capacity: 1, refillPerSecond: 1 });
    limiter.take("k", 0);
    expect(limiter.take("k", 0).firstRefusal).toBe(true);
    expect(limiter.take("k", 100).firstRefusal).toBe(false);
    expect(limiter.take("k", 2000).allowed).toBe(true);
    expect(limiter.take("k", 2000).firstRefusal).toBe(true);
  });

  test("stays bounded under a flood of keys", () => {
    const limiter = new KeyedLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) limiter.take(`flood-${i}`, 0);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  test("evicts refilled buckets before one that still holds a limit", () => {
    const limiter = new KeyedLimiter({ capacity: 5, refillPerSecond: 1, maxKeys: 2 });
    limiter.take("locked", 0, 5); // empty until t = 5 s
    limiter.take("stale", 0, 1); // full again at t = 1 s
    limiter.take("newcomer", 2000);
    expect(limiter.take("locked", 2000, 5).allowed).toBe(false);
  });
});

describe("bounded queue", () => {
  test("runs at most maxActive tasks at once and refuses past maxWaiting", async () => {
    const queue = new BoundedQueue(2, 1);
    const gates: Array<() => void> = [];
    const held = () => new Promise<void>((resolve) => gates.push(resolve));
    const running = [queue.run(held), queue.run(held), queue.run(held)];
    await expect(queue.run(held)).rejects.toBeInstanceOf(QueueFullError);
    expect(gates).toHaveLength(2);
    expect(queue.load).toEqual({ active: 2, waiting: 1 });

    gates[0]!();
    await running[0];
    while (gates.length < 3) await Bun.sleep(0);
    expect(queue.load).toEqual({ active: 2, waiting: 0 });

    gates[1]!();
    gates[2]!();
    await Promise.all(running);
    expect(queue.load).toEqual({ active: 0, waiting: 0 });
  });

  test("frees the slot when a task fails", async () => {
    const queue = new BoundedQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await queue.run(async () => 42)).toBe(42);
  });
});
