// The bench's slow disk (bench/lib/slow-disk.ts) does what the slow-disk scenario's figures rely on:
// every fsync/fdatasync really waits the injected time, strace logs each one, the pid the harness
// measures is the traced program's, and the program's other syscalls are not slowed by the tracer.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { slowFsyncPrefix, straceAvailable, tracedChild, tracedSyncs } from "../../bench/lib/slow-disk.ts";

const dir = mkdtempSync(join(tmpdir(), "vaultroom-slow-disk-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Syncs a file `syncs` times, then makes `writes` cheap syscalls; prints the sync time, how many times
// the writes gave up the CPU (a tracer stopping at each syscall makes that one switch per write) and its pid.
const program = join(dir, "probe.ts");
writeFileSync(
  program,
  `import { closeSync, fdatasyncSync, fsyncSync, openSync, writeSync } from "node:fs";
const [syncs, writes] = process.argv.slice(2).map(Number);
const fd = openSync(${JSON.stringify(join(dir, "data"))}, "w");
let t = performance.now();
for (let i = 0; i < syncs; i++) { writeSync(fd, "x"); if (i % 2) fsyncSync(fd); else fdatasyncSync(fd); }
const syncMs = performance.now() - t;
const devNull = openSync("/dev/null", "w");
const before = process.resourceUsage();
for (let i = 0; i < writes; i++) writeSync(devNull, "x");
const after = process.resourceUsage();
const writeSwitches = after.voluntaryContextSwitches + after.involuntaryContextSwitches - before.voluntaryContextSwitches - before.involuntaryContextSwitches;
closeSync(fd);
console.log(JSON.stringify({ syncMs, writeSwitches, pid: process.pid }));`,
);

interface Probe {
  syncMs: number;
  writeSwitches: number;
  pid: number;
}

async function run(prefix: string[], syncs: number, writes: number): Promise<{ probe: Probe; spawnedPid: number; childPid: number | null }> {
  const proc = Bun.spawn([...prefix, process.execPath, program, String(syncs), String(writes)], { stdout: "pipe", stderr: "pipe" });
  const childPid = prefix.length ? await tracedChild(proc.pid).catch(() => null) : null;
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  return { probe: JSON.parse(out.trim().split("\n").at(-1)!) as Probe, spawnedPid: proc.pid, childPid };
}

// CI installs strace (.ci/run); a runner without it or without the right to trace fails here plainly.
test("strace is there and may trace", () => {
  expect(straceAvailable()).toBe(true);
  expect(Bun.spawnSync(["strace", "-qq", "-o", "/dev/null", "-e", "trace=none", "true"]).exitCode).toBe(0);
});

describe("the bench's slow disk", () => {
  test("each fsync and fdatasync waits the injected delay, and strace logs each one as delayed", async () => {
    const log = join(dir, "strace-delay.log");
    const syncs = 10;
    const plain = await run([], syncs, 0);
    const slowed = await run(slowFsyncPrefix(30, log), syncs, 0);
    expect(tracedSyncs(log)).toEqual({ calls: syncs, delayed: syncs });
    // The injected time is a floor on each call; the disk's own time comes on top and varies under
    // load, so the difference to an untraced run is only asked to be clearly there.
    expect(slowed.probe.syncMs).toBeGreaterThanOrEqual(syncs * 30);
    expect(slowed.probe.syncMs - plain.probe.syncMs).toBeGreaterThanOrEqual(syncs * 30 * 0.5);
  });

  test("the pid the harness measures is the traced program's, not strace's", async () => {
    const { probe, spawnedPid, childPid } = await run(slowFsyncPrefix(2, join(dir, "strace-pid.log")), 2, 0);
    expect(childPid).toBe(probe.pid);
    expect(childPid).not.toBe(spawnedPid);
  });

  test("the program's other syscalls run untraced (seccomp filter), so the network path is not slowed", async () => {
    const writes = 20_000;
    const slowed = await run(slowFsyncPrefix(10, join(dir, "strace-writes.log")), 0, writes);
    // Counted, not timed: without the seccomp filter each write stops the program for the tracer
    // (measured: 40,269 switches for 20,000 writes); with it, a few dozen, whatever the machine's load.
    expect(slowed.probe.writeSwitches).toBeLessThan(writes / 4);
  });
});
