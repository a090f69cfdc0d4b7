// The peers of `bun run bench --peers`: the floor's minimum protocol (join a room, every post
// relayed to the whole room, the sender's copy as its ack) served by other stacks on the same
// machine, certificate and cipher list, so VaultRoom's ratio to them comes from one run:
// Node + `ws` and Node + socket.io 4 (bench/peers/*.mjs). Only the room scenarios (fanout, latency).
import { join } from "node:path";
import { TLS_CIPHERS } from "../../src/tls/policy.ts";
import { freePort, ROOT, start, type RunningServer, type StartOptions } from "./servers.ts";

export const PEERS = ["node-ws", "socketio"] as const;
export type PeerKind = (typeof PEERS)[number];

export const PEER_LABELS: Record<PeerKind, string> = { "node-ws": "Node + ws", socketio: "Node + socket.io" };

const SCRIPTS: Record<PeerKind, string> = { "node-ws": "node-ws-server.mjs", socketio: "socketio-server.mjs" };

/** Node on PATH, with its version (the README states which one the figures came from). */
export function node(): { path: string; version: string } | null {
  const path = Bun.which("node");
  if (!path) return null;
  return { path, version: Bun.spawnSync([path, "--version"]).stdout.toString().trim() };
}

export async function startPeer(kind: PeerKind, certsDir: string, options: StartOptions): Promise<RunningServer> {
  const found = node();
  if (!found) throw new Error("--peers needs Node on PATH");
  const port = freePort();
  const args = [found.path, join(ROOT, "bench", "peers", SCRIPTS[kind]), "--port", String(port), "--certs", certsDir, "--ciphers", TLS_CIPHERS];
  return start(kind, port, args, "/health", options);
}

export function isPeer(kind: string): kind is PeerKind {
  return (PEERS as readonly string[]).includes(kind);
}
