// The peers of `bun run bench --peers` (and the floor they copy) serve the same minimum the load
// client relies on, each over its own stack: a socket joins the room it names, a post reaches every
// socket of that room, the sender's included (its acknowledgement), and no socket of another room.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { node, startPeer } from "../../bench/lib/peers.ts";
import { startFloor, type RunningServer, type TargetKind } from "../../bench/lib/servers.ts";
import { openSocketIo } from "../../bench/lib/socketio-client.ts";
import { classify, openSocket, type RoomSocket } from "../../bench/lib/wire.ts";

const dir = mkdtempSync(join(tmpdir(), "vaultroom-peers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A P-256 certificate like the one VaultRoom makes for itself; openssl is used by the test only. */
function certificate(): string {
  const certs = join(dir, "certs");
  mkdirSync(certs, { recursive: true });
  const made = Bun.spawnSync(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
      "-keyout", join(certs, "key.pem"), "-out", join(certs, "cert.pem")],
    { stderr: "pipe" },
  );
  if (made.exitCode !== 0) throw new Error(`openssl could not make a test certificate: ${made.stderr.toString()}`);
  return certs;
}

async function start(kind: Exclude<TargetKind, "vaultroom">, certs: string): Promise<RunningServer> {
  const options = { pin: [], files: 1024, logFile: join(dir, `${kind}.log`) };
  return kind === "floor" ? startFloor(certs, options) : startPeer(kind, certs, options);
}

function open(kind: Exclude<TargetKind, "vaultroom">, port: number, room: string, inbox: string[]): Promise<RoomSocket> {
  const onFrame = (frame: string) => {
    if (classify(kind, frame).kind === "delivery") inbox.push(frame);
  };
  return kind === "socketio" ? openSocketIo(port, room, onFrame, 10_000) : openSocket(kind, port, {}, room, onFrame, 10_000);
}

const kinds = ["floor", "node-ws", "socketio"] as const;

// Node comes with the npm that installs Bun in CI; a machine without it fails here plainly.
test("node is there to run the peers", () => expect(node()).toBeTruthy());

describe("the bench's peers", () => {
  const certs = certificate();
  for (const kind of kinds) {
    test(`${kind}: a post reaches every socket of its room, the sender's included, and no other room`, async () => {
      const server = await start(kind, certs);
      const inboxes: string[][] = [[], [], []];
      const sockets: RoomSocket[] = [];
      try {
        sockets.push(await open(kind, server.port, "a", inboxes[0]!));
        sockets.push(await open(kind, server.port, "a", inboxes[1]!));
        sockets.push(await open(kind, server.port, "b", inboxes[2]!));
        const body = "~m0:0:123~hello";
        sockets[0]!.send(body);
        sockets[0]!.send("~m0:1:124~again");
        const deadline = performance.now() + 5000;
        while ((inboxes[0]!.length < 2 || inboxes[1]!.length < 2) && performance.now() < deadline) await Bun.sleep(10);
        await Bun.sleep(100);
        expect(inboxes[0]).toEqual([body, "~m0:1:124~again"]);
        expect(inboxes[1]).toEqual([body, "~m0:1:124~again"]);
        expect(inboxes[2]).toEqual([]);
      } finally {
        for (const socket of sockets) socket.close();
        await server.stop();
      }
    });
  }
});
