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

// Syncs a file `syncs` times, then makes `writes` cheap syscalls; prints both durations and its pid.
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
t = performance.now();
for (let i = 0; i < writes; i++) writeSync(devNull, "x");
const writeMs = performance.now() - t;
closeSync(fd);
console.log(JSON.stringify({ syncMs, writeMs, pid: process.pid }));`,
);

interface Probe {
  syncMs: number;
  writeMs: number;
  pid: number;
}

async function run(prefix: string[], syncs: number, writes: number): Promise<{ probe: Probe; spawnedPid: number; childPid: number | null }> {
  const proc = Bun.spawn([...prefix, process.execPath, program, String(syncs), String(writes)], { stdout: "pipe", stderr: "pipe" });
  const childPid = prefix.length ? await tracedChild(proc.pid).catch(() => null) : null;
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  return { probe: JSON.parse(out.trim().split("\n").at(-1)!) as Probe, spawnedPid: proc.pid, childPid };
}

// The runner may lack strace or the right to trace (ptrace); the scenario then refuses to start.
const canTrace = straceAvailable() && Bun.spawnSync(["strace", "-qq", "-o", "/dev/null", "-e", "trace=none", "true"]).exitCode === 0;

describe.skipIf(!canTrace)("the bench's slow disk", () => {
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
    const plain = await run([], 0, writes);
    const slowed = await run(slowFsyncPrefix(10, join(dir, "strace-writes.log")), 0, writes);
    // Stopping at every syscall costs two context switches each: tens of µs, ~0.5 s for 20,000.
    expect(slowed.probe.writeMs).toBeLessThan(plain.probe.writeMs * 4 + 60);
  });
});
