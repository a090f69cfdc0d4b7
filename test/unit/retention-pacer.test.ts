import { describe, expect, test } from "bun:test";
import { Pacer, PURGE_PACE, processLoad } from "../../src/retention/pacer.ts";

const IDLE = 0.1;
const BUSY = 0.9;

describe("the purge's pacer", () => {
  test("shrinks batches that take too long, down to its floor", () => {
    const pacer = new Pacer();
    const sizes: number[] = [];
    // 0.4 ms a row: 8 ms fits 20, below the floor.
    for (let i = 0; i < 8; i++) {
      pacer.after(pacer.size, pacer.size * 0.4, IDLE);
      sizes.push(pacer.size);
    }
    expect(sizes[0]).toBeLessThan(PURGE_PACE.initial);
    expect(sizes.every((size, i) => i === 0 || size <= sizes[i - 1]!)).toBe(true);
    expect(sizes.at(-1)).toBe(PURGE_PACE.min);
  });

  test("grows batches when rows are cheap, up to its ceiling", () => {
    const pacer = new Pacer();
    for (let i = 0; i < 20; i++) pacer.after(pacer.size, pacer.size * 0.001, IDLE);
    expect(pacer.size).toBe(PURGE_PACE.max);
  });

  test("moves halfway at most, so one slow batch does not swing it", () => {
    const pacer = new Pacer();
    pacer.after(100, 8, IDLE); // fits: stays 100
    expect(pacer.size).toBe(100);
    pacer.after(100, 800, IDLE); // one very slow batch: fit 1, but only halfway (and not below the floor)
    expect(pacer.size).toBe(PURGE_PACE.min);
  });

  test("rests longer and longer while the server is busy, and less once it is quiet again", () => {
    const pacer = new Pacer();
    const busy = Array.from({ length: 8 }, () => pacer.after(100, 8, BUSY));
    expect(busy.every((rest, i) => i === 0 || rest >= busy[i - 1]!)).toBe(true);
    // A few percent of a core at most: 8 ms of work, then 32 times as long resting.
    expect(busy.at(-1)).toBe(8 * PURGE_PACE.maxFactor);
    const quiet = Array.from({ length: 12 }, () => pacer.after(100, 8, IDLE));
    expect(quiet.every((rest, i) => i === 0 || rest <= quiet[i - 1]!)).toBe(true);
    // Half speed at most when quiet: it rests as long as it worked.
    expect(quiet.at(-1)).toBe(8 * PURGE_PACE.minFactor);
    expect(pacer.after(100, 0.1, IDLE)).toBe(PURGE_PACE.minPauseMs);
    expect(pacer.after(100, 100_000, IDLE)).toBe(PURGE_PACE.maxPauseMs);
  });

  test("measures the process's load from its CPU time", async () => {
    const load = processLoad();
    const until = performance.now() + 100;
    while (performance.now() < until); // one core busy
    const busy = load();
    await Bun.sleep(100);
    const idle = load();
    expect(busy).toBeGreaterThan(1 / Math.max(1, navigator.hardwareConcurrency) / 2);
    expect(idle).toBeLessThan(busy);
  });
});
