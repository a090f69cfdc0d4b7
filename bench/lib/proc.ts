// What the kernel says about a process: CPU time from /proc/<pid>/stat (utime + stime of all its
// threads, in clock ticks) and memory from /proc/<pid>/status. Also how to start a process pinned
// to one core with a raised file limit.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

let clockTicks: number | null = null;

/** Clock ticks per second (`getconf CLK_TCK`, almost always 100). */
export function clkTck(): number {
  if (clockTicks === null) {
    const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
    const parsed = Number(out);
    clockTicks = Number.isFinite(parsed) && parsed > 0 ? parsed : 100;
  }
  return clockTicks;
}

/** CPU time (user + system, every thread) the process has used so far, in microseconds. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / clkTck();
}

/**
 * Time the process's main thread (the event loop) spent runnable but waiting for a CPU, in
 * microseconds (second field of /proc/<pid>/task/<pid>/schedstat). It shows how much other work,
 * on the machine or in the process's own helper threads, delayed the event loop: idle, it is ~0.
 */
export function runDelayMicros(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").split(" ")[1]) / 1000;
  } catch {
    return Number.NaN;
  }
}

export interface Memory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size ("high water mark"), in bytes. */
  hwm: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

export interface Placement {
  /** Prefix for a command line: e.g. ["taskset", "-c", "0"], or [] when pinning is unavailable. */
  server: string[];
  client: string[];
  pinned: boolean;
  cores: number;
  note: string;
}

/**
 * Server on core 0 and load client on core 1 when taskset exists and there are two cores or more.
 * With `nice` < 0 (and the right to use it), both also run ahead of other work on the machine, so a
 * busy neighbour (a test suite, a browser) disturbs the figures less; it is recorded with them.
 */
export function placement(nice = 0): Placement {
  const cores = availableParallelism();
  const niceWorks =
    nice !== 0 &&
    Bun.spawnSync(["nice", "-n", String(nice), "nice"], { stderr: "ignore" })
      .stdout.toString()
      .trim() === String(nice);
  const priority = niceWorks ? ["nice", "-n", String(nice)] : [];
  const niceNote = nice === 0 ? "" : niceWorks ? `; both at nice ${nice}` : `; nice ${nice} not permitted, normal priority`;
  const works = cores >= 2 && Bun.spawnSync(["taskset", "-c", "0", "true"], { stderr: "ignore", stdout: "ignore" }).exitCode === 0;
  if (!works) {
    const why = cores < 2 ? "one core: server and client share it" : "taskset unavailable: not pinned";
    return { server: priority, client: priority, pinned: false, cores, note: why + niceNote };
  }
  return {
    server: [...priority, "taskset", "-c", "0"],
    client: [...priority, "taskset", "-c", "1"],
    pinned: true,
    cores,
    note: `server on core 0, client on core 1${niceNote}`,
  };
}

/** The hard limit on open files; the soft limit can be raised to it without privileges. */
export function fileLimit(): { soft: number; hard: number } {
  const run = (flag: string) =>
    Number(
      Bun.spawnSync(["sh", "-c", `ulimit ${flag}`])
        .stdout.toString()
        .trim(),
    );
  const soft = run("-Sn");
  const hardRaw = Bun.spawnSync(["sh", "-c", "ulimit -Hn"]).stdout.toString().trim();
  const hard = hardRaw === "unlimited" ? 1 << 20 : Number(hardRaw);
  return { soft: Number.isFinite(soft) ? soft : 1024, hard: Number.isFinite(hard) ? hard : 1024 };
}

/**
 * A command prefix that starts the command with the soft file limit raised to `wanted` (capped at
 * the hard limit). `sh -c 'ulimit -n N; exec "$@"'` keeps the pid, so /proc/<pid> is the command's.
 */
export function withFileLimit(wanted: number): string[] {
  const { soft, hard } = fileLimit();
  const target = Math.min(wanted, hard);
  if (soft >= target) return [];
  return ["sh", "-c", `ulimit -n ${target} && exec "$@"`, "sh"];
}
