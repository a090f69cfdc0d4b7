// Making the disk slow on purpose: the server runs under strace, which delays every fsync and
// fdatasync of every thread by a fixed time before the call enters the kernel (the call itself still
// happens, so durability is unchanged; only its latency grows, as on a busy or network disk).
//
// Why strace is started with the server rather than attached to it (`-p`): only a tracer that starts
// the process can use --seccomp-bpf, which stops the tracee on the traced calls alone. Attached with
// `-p`, strace stops every thread on EVERY syscall (sendto, epoll_wait...) and filters afterwards,
// which would slow the server's whole network path and pollute the very latencies being measured.
// With the filter, the server's other syscalls run untraced.
import { existsSync, readFileSync, readlinkSync } from "node:fs";

/**
 * The per-fsync delays the scenario measures, in milliseconds: the 2 ms and 10 ms, after a
 * baseline under the same tracer with no delay (the reference that shows what each delay adds).
 */
export const SLOW_DISK_DELAYS_MS = [0, 2, 10] as const;

export function straceAvailable(): boolean {
  return Bun.spawnSync(["strace", "-V"], { stdout: "ignore", stderr: "ignore" }).exitCode === 0;
}

/**
 * Command prefix that runs the rest of the command line with each fsync/fdatasync delayed by
 * `delayMs` (0: traced, not delayed). Only those two calls are traced; each one is written to
 * `logFile` (marked DELAYED when delayed), so the harness can count how many really happened.
 */
export function slowFsyncPrefix(delayMs: number, logFile: string): string[] {
  const micros = String(Math.round(delayMs * 1000));
  const inject = delayMs > 0 ? ["-e", `inject=fsync:delay_enter=${micros}`, "-e", `inject=fdatasync:delay_enter=${micros}`] : [];
  return [
    "strace",
    "-f",
    "--seccomp-bpf",
    "-qq",
    "-o",
    logFile,
    "-e",
    "trace=fsync,fdatasync",
    ...inject,
  ];
}

/**
 * The pid of the program strace started, once it runs. strace forks short-lived children of its own
 * at start-up (feature checks): those still run strace's executable, the program has exec'd its own.
 * (The tracer's executable is read each time: just after spawn it may not have exec'd strace yet.)
 */
export async function tracedChild(tracerPid: number, timeoutMs = 5000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  const exe = (pid: string | number) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return "";
    }
  };
  while (performance.now() < deadline) {
    const tracer = exe(tracerPid);
    let children = "";
    try {
      children = readFileSync(`/proc/${tracerPid}/task/${tracerPid}/children`, "utf8");
    } catch {
      // Not started yet.
    }
    for (const child of children.trim().split(/\s+/)) {
      const program = child ? exe(child) : "";
      if (program && tracer && program !== tracer) return Number(child);
    }
    await Bun.sleep(2);
  }
  throw new Error(`strace (pid ${tracerPid}) started no program within ${timeoutMs} ms`);
}

/** fsync/fdatasync calls strace has seen so far, and how many of them it delayed, from its log. */
export function tracedSyncs(logFile: string): { calls: number; delayed: number } {
  const counts = { calls: 0, delayed: 0 };
  if (!existsSync(logFile)) return counts;
  // A call interrupted by another thread's is logged as "fsync(3 <unfinished ...>", then
  // "<... fsync resumed>) = 0 (DELAYED)": count calls by their opening, delays by their end.
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (/\b(fsync|fdatasync)\(/.test(line)) counts.calls++;
    if (line.endsWith("(DELAYED)")) counts.delayed++;
  }
  return counts;
}
