// The bounded queue in front of password hashing: a full queue refuses newcomers, except that one
// asker (an address) cannot keep everyone else out: a newcomer takes the newest place of whoever
// holds the most places.
import { describe, expect, test } from "bun:test";
import { BoundedQueue, QueueFullError } from "../../src/limits/bounded-queue.ts";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("bounded queue", () => {
  test("runs up to maxActive at once and refuses past maxWaiting", async () => {
    const queue = new BoundedQueue(1, 2);
    const g = gate();
    const runs = [queue.run(() => g.opened), queue.run(async () => 1), queue.run(async () => 2)];
    await expect(queue.run(async () => 3)).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    expect(await Promise.all(runs)).toEqual([undefined, 1, 2]);
    expect(queue.load).toEqual({ active: 0, waiting: 0 });
  });

  test("one address filling the queue cannot lock another out: its newest waiting task gives way", async () => {
    const queue = new BoundedQueue(1, 4);
    const g = gate();
    const flood = Array.from({ length: 5 }, (_, i) => queue.run(() => g.opened.then(() => `a${i}`), "10.0.0.1"));
    const settled = flood.map((p) => p.then((v) => v, (e: unknown) => (e instanceof QueueFullError ? "refused" : "error")));
    // The flood holds the one active place and all four waiting places.
    expect(queue.load).toEqual({ active: 1, waiting: 4 });
    const other = queue.run(async () => "b", "10.0.0.2");
    // And gets no place back by asking again.
    await expect(queue.run(async () => "a5", "10.0.0.1")).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    expect(await other).toBe("b");
    expect(await Promise.all(settled)).toEqual(["a0", "a1", "a2", "a3", "refused"]);
  });

  test("a newcomer does not displace someone who holds no more places than it would", async () => {
    const queue = new BoundedQueue(1, 2);
    const g = gate();
    const runs = [queue.run(() => g.opened, "a"), queue.run(() => g.opened, "b"), queue.run(() => g.opened, "c")];
    await expect(queue.run(async () => 1, "d")).rejects.toBeInstanceOf(QueueFullError);
    g.open();
    await Promise.all(runs);
  });
});
