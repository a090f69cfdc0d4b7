// The compiled binary, as a person runs it: dist/vaultroom on a free loopback port with a fresh data
// directory and certificate directory, ready once /api/health answers, stopped with SIGTERM.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
export const BINARY = join(root, "dist/vaultroom");

/** Fails with a clear line when the binary is missing or older than the web build it should embed. */
export function assertBinaryBuilt(): void {
  if (!existsSync(BINARY)) throw new Error("dist/vaultroom is missing: run `bun run build` (or `bun run test:e2e`)");
  const index = join(root, "web/dist/index.html");
  if (existsSync(index) && statSync(index).mtimeMs > statSync(BINARY).mtimeMs) {
    throw new Error("dist/vaultroom is older than web/dist: run `bun run build` (or `bun run test:e2e`)");
  }
}

/**
 * A loopback port nothing listens on, for a process started next. Taken below the kernel's ephemeral
 * range: a port the kernel handed out (port 0) is soon handed out again to some outgoing connection
 * (a fetch, a Postgres client), and the process told to listen there fails with EADDRINUSE — which
 * CI saw. Below the range only another test picking the same random port could collide.
 */
export async function freePort(): Promise<number> {
  const [low] = ephemeralRange();
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * Math.max(1, low - 10_000));
    // Chromium refuses to open some ports at all (ERR_UNSAFE_PORT); 10080 is the one in this range.
    if (CHROMIUM_RESTRICTED.has(port)) continue;
    if (await canListen(port)) return port;
  }
  return anyPort();
}

/** Chromium's restricted ports at or above 10,000 (net/base/port_util.cc): a page there never loads. */
const CHROMIUM_RESTRICTED = new Set([10080]);

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low! > 11_000 && high! >= low!) return [low!, high!];
  } catch {
    // not Linux: the usual default
  }
  return [32_768, 60_999];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningBinary {
  url: string;
  port: number;
  dataDir: string;
  /** The process's id (tests read its threads in /proc). */
  pid: number;
  /** Everything the process wrote to stderr/stdout so far (for failure messages). */
  output(): string;
  stop(): Promise<number>;
  /** Sends a signal (SIGKILL for a crash) and waits for the process to end; the data stays. */
  kill(signal: NodeJS.Signals): Promise<number>;
}

export interface BinaryOptions {
  args?: string[];
  env?: Record<string, string>;
  /** A port chosen beforehand (e.g. one an ACME test server was told about). */
  port?: number;
  /** An existing directory holding data/ and certs/ (kept on stop), to restart on the same state. */
  dir?: string;
}

export async function startBinary(options: BinaryOptions = {}): Promise<RunningBinary> {
  assertBinaryBuilt();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "vaultroom-e2e-"));
  const dataDir = join(dir, "data");
  const port = options.port ?? (await freePort());
  const child = Bun.spawn(
    [BINARY, "serve", "--host", "127.0.0.1", "--port", String(port), "--data", dataDir, "--certs", join(dir, "certs"), ...(options.args ?? [])],
    { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env }, stdout: "pipe", stderr: "pipe" },
  );
  let output = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      output += decoder.decode(value, { stream: true });
    }
  };
  void collect(child.stdout);
  void collect(child.stderr);

  const url = `https://127.0.0.1:${port}`;
  // Start-up takes well under a second; the margin is for a CI machine running both engines' suites at once.
  const deadline = Date.now() + 40_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vaultroom exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`, { tls: { rejectUnauthorized: false } });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`vaultroom did not answer /api/health within 40 s:\n${output}`);
    }
    await Bun.sleep(50);
  }

  return {
    url,
    port,
    dataDir,
    pid: child.pid,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return child.exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await child.exited;
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
