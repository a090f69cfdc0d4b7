// Tools for the slow-client tests: a health probe that opens a new TLS connection every time (as a
// newcomer would while the server is under attack), slowhttptest (Debian) run and read, and sockets
// that connect and then say nothing.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { connect as tcpConnect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as tlsConnect } from "node:tls";

const PROBE_TIMEOUT_MS = 5000;

/** GET /api/health over a new TLS connection; resolves with the milliseconds to a 200, or Infinity. */
export function probeHealth(port: number): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    let answer = "";
    const socket = tlsConnect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, () => {
      socket.write(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    const done = (ms: number) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ms);
    };
    const timer = setTimeout(() => done(Infinity), PROBE_TIMEOUT_MS);
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) done(answer.startsWith("HTTP/1.1 200") ? performance.now() - start : Infinity);
    });
    socket.on("error", () => done(Infinity));
  });
}

/** Probes health every `intervalMs` until stopped; reports how many probes ran and the slowest. */
export function watchHealth(port: number, intervalMs = 200) {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      latencies.push(await probeHealth(port));
      await Bun.sleep(intervalMs);
    }
  })();
  return {
    async stop(): Promise<{ probes: number; maxMs: number; failed: number }> {
      running = false;
      await loop;
      return { probes: latencies.length, maxMs: Math.max(...latencies), failed: latencies.filter((ms) => ms === Infinity).length };
    },
  };
}

/** Fails with one clear line when slowhttptest is not installed (CI installs it: .ci/run). */
export function requireSlowhttptest(): string {
  const path = Bun.which("slowhttptest");
  if (!path) throw new Error("slowhttptest is not installed: apt-get install -y slowhttptest (.ci/run installs it in CI)");
  return path;
}

/** Runs slowhttptest with `args` (plus its CSV report) and returns the most connections it held at once. */
export async function runSlowhttptest(args: string[]): Promise<{ maxConnected: number; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "vaultroom-slow-"));
  try {
    const report = join(dir, "stats");
    const proc = Bun.spawn([requireSlowhttptest(), ...args, "-g", "-o", report], { stdout: "pipe", stderr: "pipe" });
    const [output, errors, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    const clean = (output + errors).replace(/\x1b\[[0-9;]*m/g, "");
    if (code !== 0) throw new Error(`slowhttptest exited with ${code}:\n${clean.slice(-2000)}`);
    const csv = readdirSync(dir).find((name) => name.endsWith(".csv"));
    if (!csv) throw new Error(`slowhttptest wrote no report:\n${clean.slice(-2000)}`);
    const rows = readFileSync(join(dir, csv), "utf8").trim().split("\n").slice(1);
    const maxConnected = Math.max(0, ...rows.map((row) => Number(row.split(",")[3])));
    return { maxConnected, output: clean };
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Sockets that connect (and, for TLS, finish the handshake offering h2 or http/1.1) and then neither
 * send a byte nor read one: an attacker's cheapest way to hold a server's connections.
 */
export async function openIdleSockets(port: number, counts: { h2: number; http1: number; plainTcp: number }) {
  const sockets: Socket[] = [];
  let closed = 0;
  const track = (socket: Socket) => {
    sockets.push(socket);
    socket.on("error", () => {});
    socket.once("close", () => closed++);
  };
  const handshakes: Promise<void>[] = [];
  for (const [alpn, count] of [["h2", counts.h2], ["http/1.1", counts.http1]] as const) {
    for (let i = 0; i < count; i++) {
      handshakes.push(
        new Promise((resolve) => {
          const socket = tlsConnect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: [alpn] }, () => resolve());
          socket.once("error", () => resolve());
          track(socket);
        }),
      );
    }
  }
  for (let i = 0; i < counts.plainTcp; i++) track(tcpConnect(port, "127.0.0.1"));
  await Promise.all(handshakes);
  return {
    total: sockets.length,
    get open() {
      return sockets.length - closed;
    },
    destroy() {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** File descriptors this process holds (Linux), to see that connections are really let go. */
export function openFileDescriptors(): number {
  return readdirSync("/proc/self/fd").length;
}
