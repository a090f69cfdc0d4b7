import { describe, expect, test } from "bun:test";
import { Pacer, processLoad } from "../../src/limits/pacer.ts";
import { PURGE_PACE } from "../../src/retention/retention.ts";

const IDLE = 0.1;
const BUSY = 0.9;

describe("the pacer (with the purge's settings)", () => {
  test("shrinks batches that take too long, down to its floor", () => {
    const pacer = new Pacer(PURGE_PACE);
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
    const pacer = new Pacer(PURGE_PACE);
    for (let i = 0; i < 20; i++) pacer.after(pacer.size, pacer.size * 0.001, IDLE);
    expect(pacer.size).toBe(PURGE_PACE.max);
  });

  test("moves halfway at most, so one slow batch does not swing it", () => {
    const pacer = new Pacer(PURGE_PACE);
    pacer.after(100, 8, IDLE); // fits: stays 100
    expect(pacer.size).toBe(100);
    pacer.after(100, 800, IDLE); // one very slow batch: fit 1, but only halfway (and not below the floor)
    expect(pacer.size).toBe(PURGE_PACE.min);
  });

  test("rests longer and longer while the server is busy, and less once it is quiet again", () => {
    const pacer = new Pacer(PURGE_PACE);
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
    // In a process of its own: the test runner's other threads (servers of other test files
    // winding down) would count too, since the load is the whole process's.
    const script = `
      import { processLoad } from ${JSON.stringify(new URL("../../src/limits/pacer.ts", import.meta.url).pathname)};
      const load = processLoad(0);
      const until = performance.now() + 150;
      while (performance.now() < until); // one core busy
      const busy = load();
      await Bun.sleep(150);
      console.log(JSON.stringify({ busy, idle: load() }));`;
    const child = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
    const { busy, idle } = JSON.parse(await new Response(child.stdout).text()) as { busy: number; idle: number };
    expect(await child.exited).toBe(0);
    // Not a fixed share: on a machine busy with other work the loop gets less than its core.
    expect(busy).toBeGreaterThan(0.05);
    expect(idle).toBeLessThan(busy / 2);
  });

  test("answers no sample sooner than its window, and no sample leaves the rest's factor as it was", async () => {
    const load = processLoad(50);
    expect(load()).toBeNull();
    await Bun.sleep(60);
    expect(load()).toBeNumber();
    expect(load()).toBeNull();
    const pacer = new Pacer(PURGE_PACE);
    const first = pacer.after(100, 8, BUSY);
    expect(pacer.after(100, 8, null)).toBe(first);
    expect(pacer.after(100, 8, BUSY)).toBe(first * 2);
  });
});
