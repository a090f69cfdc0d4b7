// Starting and stopping the two servers under test: the compiled VaultRoom binary and the floor
// (bench/floor-server.ts, a bare Bun.serve pub/sub room). Both listen on 127.0.0.1 only.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { withFileLimit } from "./proc.ts";
import { tracedChild } from "./slow-disk.ts";

export const ROOT = join(import.meta.dir, "..", "..");
/** The binary under test: dist/vaultroom, or another build given with `--binary` (to compare builds). */
let binary = join(ROOT, "dist", "vaultroom");
const FLOOR = join(ROOT, "bench", "floor-server.ts");

/** VaultRoom, the floor, and the peers of `--peers` (bench/lib/peers.ts), which speak the floor's protocol. */
export type TargetKind = "vaultroom" | "floor" | "node-ws" | "socketio";

export interface RunningServer {
  kind: TargetKind;
  pid: number;
  port: number;
  /** Milliseconds from spawn to the first successful HTTPS response. */
  startMs: number;
  /** Ends the process: SIGTERM waits for a graceful stop, SIGKILL tests that acks meant durability. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<number | null>;
  /** The server's own log (stdout + stderr), for a failed run's report. */
  logTail(): Promise<string>;
}

export interface StartOptions {
  /** Command prefix that pins the process (e.g. taskset -c 0), or []. */
  pin: string[];
  /** Open files the process may need. */
  files: number;
  logFile: string;
  env?: Record<string, string>;
  /**
   * A tracer that starts the server as its child (bench/lib/slow-disk.ts): the pid measured and
   * signalled is then the child's, and the tracer exits when its child does.
   */
  tracer?: string[];
}

/** A port nobody listens on right now (the OS picks it; released before the server takes it). */
/** Every process the harness started and has not yet seen exit (servers and load clients). */
interface Killable {
  exited: Promise<number>;
  kill(signal?: number | NodeJS.Signals): void;
}

const live = new Set<Killable>();

export function track<T extends Killable>(proc: T): T {
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
  return proc;
}

const cleanups: (() => void)[] = [];

/** Work for killStarted after the processes are gone (stopping --cluster's Postgres and Redis). */
export function onCleanup(work: () => void): void {
  cleanups.push(work);
}

/** On Ctrl-C or at the end: end what the harness started, and nothing else. */
export function killStarted(): void {
  for (const proc of live) proc.kill("SIGKILL");
  for (const work of cleanups.splice(0)) work();
}

export function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

export function useBinary(path: string | undefined): string {
  if (path) binary = resolve(path);
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`bun run build\` first (or \`bun run bench\`, which builds)`);
  return binary;
}

/**
 * Starts the compiled binary; with `profileDir`, the same code from source under `bun --cpu-prof`
 * instead (the binary cannot be profiled), writing a .cpuprofile and a markdown summary on exit.
 */
export async function startVaultRoom(
  dataDir: string,
  certsDir: string,
  options: StartOptions & { profileDir?: string },
): Promise<RunningServer> {
  const port = freePort();
  const program = options.profileDir
    ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${options.profileDir}`, join(ROOT, "src", "main.ts"), "serve"]
    : [binary];
  const args = [...program, "--port", String(port), "--host", "127.0.0.1", "--data", dataDir, "--certs", certsDir];
  return start("vaultroom", port, args, "/api/health", options);
}

/** A node of `--cluster` (bench/lib/cluster.ts): the binary with the cluster's flags. */
export async function startVaultRoomNode(
  dataDir: string,
  certsDir: string,
  clusterArgs: string[],
  options: StartOptions & { profileDir?: string },
): Promise<RunningServer> {
  const port = freePort();
  const program = options.profileDir
    ? [process.execPath, "--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${options.profileDir}`, join(ROOT, "src", "main.ts"), "serve"]
    : [binary];
  const args = [...program, "--port", String(port), "--host", "127.0.0.1", "--data", dataDir, "--certs", certsDir, ...clusterArgs];
  return start("vaultroom", port, args, "/api/health", options);
}

export async function startFloor(certsDir: string, options: StartOptions): Promise<RunningServer> {
  const port = freePort();
  const args = [process.execPath, FLOOR, "--port", String(port), "--certs", certsDir];
  return start("floor", port, args, "/health", options);
}

export async function start(kind: TargetKind, port: number, args: string[], healthPath: string, options: StartOptions): Promise<RunningServer> {
  const log = Bun.file(options.logFile);
  const spawnedAt = performance.now();
  const proc = track(
    Bun.spawn([...options.pin, ...withFileLimit(options.files), ...(options.tracer ?? []), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdin: "ignore",
      stdout: log,
      stderr: log,
    }),
  );
  const startMs = await waitHealthy(proc, port, healthPath, spawnedAt);
  const pid = options.tracer ? await tracedChild(proc.pid) : proc.pid;
  // A tracer killed outright detaches and leaves its child running: signal the server itself.
  const signalServer = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  };
  // Ctrl-C must end the traced server too, not only its tracer.
  if (options.tracer) track({ exited: proc.exited, kill: () => signalServer("SIGKILL") });
  return {
    kind,
    pid,
    port,
    startMs,
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) signalServer(signal);
      const timer = setTimeout(() => {
        signalServer("SIGKILL");
        proc.kill("SIGKILL");
      }, 10_000);
      await proc.exited;
      clearTimeout(timer);
      return proc.exitCode;
    },
    async logTail() {
      const text = existsSync(options.logFile) ? await Bun.file(options.logFile).text() : "";
      return text.split("\n").slice(-30).join("\n");
    },
  };
}

/** Polls the health path as fast as it can answer; returns ms from spawn to the first 200. */
async function waitHealthy(proc: Subprocess, port: number, path: string, spawnedAt: number, timeoutMs = 20_000): Promise<number> {
  const url = `https://127.0.0.1:${port}${path}`;
  while (performance.now() - spawnedAt < timeoutMs) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(`server exited with ${proc.exitCode ?? proc.signalCode} before answering`);
    try {
      const response = await fetch(url, { tls: { rejectUnauthorized: false }, keepalive: false });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - spawnedAt;
    } catch {
      // Not listening yet.
    }
    await Bun.sleep(2);
  }
  proc.kill("SIGKILL");
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}
