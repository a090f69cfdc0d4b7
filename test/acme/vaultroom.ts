// The compiled binary with --domain against a Pebble, and what a test needs to look at it: its JSON
// log lines, and the certificate a TLS client is served for the test name.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import { generateSelfSigned } from "../../src/tls/certificate.ts";
import type { Pebble } from "./pebble.ts";
import { TEST_DOMAIN } from "./pebble.ts";
import { freePort, startBinary, type BinaryOptions, type RunningBinary } from "../support/binary.ts";

export type LogLine = { event: string; level: string } & Record<string, unknown>;

/** --acme-retry 1: failures are retried after 1, 2, 4 ... seconds instead of 10 minutes. */
export function startWithDomain(pebble: Pick<Pebble, "directoryUrl" | "caFile">, options: BinaryOptions = {}): Promise<RunningBinary> {
  return startBinary({
    ...options,
    args: ["--domain", TEST_DOMAIN, "--acme-directory", pebble.directoryUrl, "--acme-ca-file", pebble.caFile, "--acme-retry", "1", ...(options.args ?? [])],
  });
}

/** ACME settings pointing at a closed loopback port (with a CA file that exists): nothing answers. */
export async function unreachableAcme(): Promise<{ directoryUrl: string; caFile: string }> {
  const caFile = join(mkdtempSync(join(tmpdir(), "vaultroom-ca-")), "ca.pem");
  writeFileSync(caFile, (await generateSelfSigned({ dns: ["localhost"], ips: [] })).cert);
  return { directoryUrl: `https://127.0.0.1:${await freePort()}/dir`, caFile };
}

export function logLines(binary: RunningBinary): LogLine[] {
  return binary
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Polls the log until a line with this event (and matching `also`) appears. */
export async function waitForLog(binary: RunningBinary, event: string, also: (line: LogLine) => boolean = () => true, timeoutMs = 20_000): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logLines(binary).find((line) => line.event === event && also(line));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no "${event}" in the log within ${timeoutMs} ms:\n${binary.output()}`);
    await Bun.sleep(25);
  }
}

export interface Served {
  /** Colon-separated upper-case SHA-256, as VaultRoom logs it. */
  fingerprint: string;
  issuer: string;
  /** Whether a client trusting only `root` accepted it for the test name. */
  authorized: boolean;
  error: string | null;
}

/** Connects as a browser would to https://chat.vaultroom.test:PORT, trusting only `root` when given. */
export function servedCertificate(port: number, root?: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, servername: TEST_DOMAIN, ca: root ? [root] : undefined, rejectUnauthorized: false }, () => {
      const peer = socket.getPeerCertificate();
      const identity = tls.checkServerIdentity(TEST_DOMAIN, peer);
      resolve({
        fingerprint: peer.fingerprint256,
        issuer: String(peer.issuer?.CN ?? ""),
        authorized: root !== undefined && socket.authorized && identity === undefined,
        error: socket.authorizationError ? String(socket.authorizationError) : (identity?.message ?? null),
      });
      socket.end();
    });
    socket.on("error", reject);
  });
}
