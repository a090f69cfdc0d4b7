// A real ACME server for tests: Debian's `pebble` (Let's Encrypt's test CA) on loopback, with
// `pebble-challtestsrv` answering its DNS queries so every name resolves to 127.0.0.1. Pebble
// validates HTTP-01 on `httpPort` and TLS-ALPN-01 on `tlsPort` (the ports VaultRoom listens on) and
// issues from a root CA it generates at each start, served on its management port at /roots/0.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { generateSelfSigned } from "../../src/tls/certificate.ts";
import { freePort } from "../support/binary.ts";

export const TEST_DOMAIN = "chat.vaultroom.test";

export interface PebbleOptions {
  /** Where Pebble sends HTTP-01 and TLS-ALPN-01 validation (VaultRoom's ports); closed ports by default. */
  httpPort?: number;
  tlsPort?: number;
  /** The ACME API's port, when a test must know it before Pebble starts. */
  listenPort?: number;
  /** Lifetime of issued certificates (Pebble's default is five years). */
  validitySeconds?: number;
  /** Names Pebble refuses to issue for. */
  blocklist?: string[];
  /** Pebble's own HTTPS key pair, to restart "the same" CA that --acme-ca-file already trusts. */
  https?: { cert: string; key: string };
}

export interface Pebble {
  directoryUrl: string;
  /** Pebble's own HTTPS certificate: what --acme-ca-file must trust. */
  caFile: string;
  https: { cert: string; key: string };
  /** The root that issued VaultRoom's certificates (new at every Pebble start). */
  root: string;
  /** Freezes the process (SIGSTOP) so a test can act while an ACME request is in flight. */
  pause(): void;
  resume(): void;
  /** Everything Pebble logged (it names each issued certificate and each validation). */
  output(): string;
  stop(): Promise<void>;
}

function collect(stream: ReadableStream<Uint8Array>, sink: (text: string) => void): void {
  void (async () => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) sink(decoder.decode(chunk.value, { stream: true }));
  })();
}

export async function startPebble(options: PebbleOptions = {}): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), "vaultroom-pebble-"));
  const own = options.https ?? (await generateSelfSigned({ dns: ["localhost"], ips: ["127.0.0.1"] }));
  writeFileSync(join(dir, "cert.pem"), own.cert);
  writeFileSync(join(dir, "key.pem"), own.key);
  const [apiPort, managementPort, dnsPort, dnsManagementPort] = await Promise.all([
    options.listenPort ?? freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${apiPort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: join(dir, "cert.pem"),
      privateKey: join(dir, "key.pem"),
      httpPort: options.httpPort ?? (await freePort()),
      tlsPort: options.tlsPort ?? (await freePort()),
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
      ...(options.validitySeconds ? { certificateValidityPeriod: options.validitySeconds } : {}),
      ...(options.blocklist ? { domainBlocklist: options.blocklist } : {}),
    },
  };
  writeFileSync(join(dir, "pebble.json"), JSON.stringify(config));

  let output = "";
  const sink = (text: string) => (output += text);
  // Only its DNS part is needed: the other challenge servers are switched off.
  const dns = Bun.spawn(
    ["pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", `127.0.0.1:${dnsPort}`,
      "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", `127.0.0.1:${dnsManagementPort}`],
    { stdout: "pipe", stderr: "pipe" },
  );
  const pebble = Bun.spawn(["pebble", "-config", join(dir, "pebble.json"), "-dnsserver", `127.0.0.1:${dnsPort}`], {
    // No random 0-15 s sleeps before validating, no rejected nonces, no reused authorizations (every
    // order is validated for real).
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0", PEBBLE_AUTHZREUSE: "0" },
    stdout: "pipe",
    stderr: "pipe",
  });
  for (const child of [dns, pebble]) {
    collect(child.stdout, sink);
    collect(child.stderr, sink);
  }
  const processes: Subprocess[] = [dns, pebble];
  const stop = async () => {
    for (const child of processes) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(processes.map((child) => child.exited));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const root = await waitFor(`https://127.0.0.1:${managementPort}/roots/0`, () => output, processes);
    await waitFor(`https://127.0.0.1:${apiPort}/dir`, () => output, processes);
    return {
      directoryUrl: `https://127.0.0.1:${apiPort}/dir`,
      caFile: join(dir, "cert.pem"),
      https: { cert: own.cert, key: own.key },
      root,
      pause: () => pebble.kill("SIGSTOP"),
      resume: () => pebble.kill("SIGCONT"),
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls until Pebble answers at `url`. */
async function waitFor(url: string, output: () => string, processes: Subprocess[]): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (processes.some((child) => child.exitCode !== null)) throw new Error(`pebble exited:\n${output()}`);
    try {
      const response = await fetch(url, { tls: { rejectUnauthorized: false } });
      if (response.ok) return await response.text();
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`pebble did not start within 10 s:\n${output()}`);
    await Bun.sleep(25);
  }
}
