// Making the disk slow on purpose: the server runs under strace, which delays every fsync and
// fdatasync of every thread by a fixed time before the call enters the kernel (the call itself still
// happens, so durability is unchanged; only its latency grows, as on a busy or network disk).
//
// Why strace is started with the server rather than attached to it (`-p`): only a tracer that starts
// the process can use --seccomp-bpf, which stops the tracee on the traced calls alone. Attached with
// `-p`, strace stops every thread on EVERY syscall (sendto, epoll_wait...) and filters afterwards,
// which would slow the server's whole network path and pollute the very latencies being measured.
// With the filter, the server's other syscalls run untraced.
import { existsSync, readFileSync } from "node:fs";

/** The per-fsync delays the scenario measures, in milliseconds (the 2 ms and 10 ms). */
export const SLOW_DISK_DELAYS_MS = [2, 10] as const;

export function straceAvailable(): boolean {
  return Bun.spawnSync(["strace", "-V"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

/**
 * Command prefix that runs the rest of the command line with each fsync/fdatasync delayed by
 * `delayMs`. Only those two calls are traced; each one is written to `logFile` (marked DELAYED), so
 * the harness can count how many delays really happened.
 */
export function slowFsyncPrefix(delayMs: number, logFile: string): string[] {
  const micros = String(Math.round(delayMs * 1000));
  return [
    "strace",
    "-f",
    "--seccomp-bpf",
    "-qq",
    "-o",
    logFile,
    "-e",
    "trace=fsync,fdatasync",
    "-e",
    `inject=fsync:delay_enter=${micros}`,
    "-e",
    `inject=fdatasync:delay_enter=${micros}`,
  ];
}

/** The pid of the process strace started (its only child), once it exists. */
export async function tracedChild(tracerPid: number, timeoutMs = 5000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const file = `/proc/${tracerPid}/task/${tracerPid}/children`;
  while (performance.now() < deadline) {
    const first = existsSync(file) ? readFileSync(file, "utf8").trim().split(/\s+/)[0] : "";
    if (first) return Number(first);
    await Bun.sleep(5);
  }
  throw new Error(`strace (pid ${tracerPid}) started no server within ${timeoutMs} ms`);
}

/** How many fsync/fdatasync calls strace has delayed so far, from its log. */
export function delayedSyncs(logFile: string): number {
  if (!existsSync(logFile)) return 0;
  let count = 0;
  for (const line of readFileSync(logFile, "utf8").split("\n")) if (line.endsWith("(DELAYED)")) count++;
  return count;
}
