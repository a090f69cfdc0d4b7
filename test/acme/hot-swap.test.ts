// The switch from the self-signed certificate to the trusted one happens in the running process, and
// a WebSocket opened before it stays open and keeps receiving: frames published by connections made
// after the switch (served by the new HTTPS server behind the TLS front) reach it, and its own reach them.
import { afterEach, describe, expect, test } from "bun:test";
import { freePort, type RunningBinary } from "../support/binary.ts";
import { TestSocket, type TestServer } from "../ws/client.ts";
import { startPebble, type Pebble } from "./pebble.ts";
import { logLines, servedCertificate, startWithDomain, waitForLog } from "./vaultroom.ts";

let pebble: Pebble | null = null;
let vaultroom: RunningBinary | null = null;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.ws.close();
  pebble?.resume();
  await vaultroom?.stop();
  await pebble?.stop();
  vaultroom = pebble = null;
});

async function api(base: string, path: string, body: unknown, cookie = "") {
  const json = JSON.stringify(body);
  const response = await fetch(base + path, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json", "content-length": String(Buffer.byteLength(json)), cookie },
    body: json,
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Each test runs a binary and a Pebble; a few seconds is typical, this is the limit. */
const TIMEOUT = 90_000;

/** The message arrives on this socket; fails at once (not at the test's timeout) if the socket closes. */
function hears(socket: TestSocket, body: string) {
  const closed = socket.closed.then(({ code }) => Promise.reject(new Error(`the socket closed (${code}) before "${body}" arrived`)));
  return Promise.race([socket.nextOf("message.created", (e) => e.message.body === body), closed]);
}

describe("switching to the trusted certificate", () => {
  test("happens without a restart while a WebSocket stays open and keeps receiving", async () => {
    const port = await freePort();
    pebble = await startPebble({ tlsPort: port });
    // Frozen: VaultRoom's first ACME request waits in Pebble's accept queue until the socket is open.
    pebble.pause();
    vaultroom = await startWithDomain(pebble, { port });
    const before = await waitForLog(vaultroom, "listening");
    await waitForLog(vaultroom, "acme_attempt");

    const base = `https://127.0.0.1:${port}`;
    const server = { wsUrl: `wss://127.0.0.1:${port}/ws`, origin: base } as TestServer;
    const register = await api(base, "/api/auth/register", { username: "alice", password: "a long and unusual passphrase" });
    const cookie = register.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
    const { room } = (await (await api(base, "/api/rooms", { kind: "public", name: "swap" }, cookie)).json()) as { room: { id: number } };
    const old = await TestSocket.connect(server, cookie);
    sockets.push(old);
    await old.ok({ type: "message.post", roomId: room.id, clientId: crypto.randomUUID(), body: "before the switch" });
    await hears(old, "before the switch");
    expect((await servedCertificate(port, pebble.root)).authorized).toBe(false);

    pebble.resume();
    const switched = await waitForLog(vaultroom, "certificate_switched");
    expect(switched.previousSha256).toBe(before.certificateSha256);
    const served = await servedCertificate(port, pebble.root);
    expect(served).toMatchObject({ authorized: true, fingerprint: switched.certificateSha256 });

    // A socket made after the switch, on the new server, and the old one hear each other.
    const fresh = await TestSocket.connect(server, cookie);
    sockets.push(fresh);
    await fresh.ok({ type: "message.post", roomId: room.id, clientId: crypto.randomUUID(), body: "from the new server" });
    await hears(old, "from the new server");
    await old.ok({ type: "message.post", roomId: room.id, clientId: crypto.randomUUID(), body: "from the old server" });
    await hears(fresh, "from the old server");
    expect(old.ws.readyState).toBe(WebSocket.OPEN);

    // Same process all along, and the admin dashboard's data shows the new issuer.
    expect(logLines(vaultroom).filter((line) => line.event === "listening")).toHaveLength(1);
    const stats = await fetch(`${base}/api/admin/stats`, { headers: { cookie }, tls: { rejectUnauthorized: false } } as RequestInit);
    const { certificate } = (await stats.json()) as { certificate: { issuer: string; selfSigned: boolean; source: string; acme: { state: string } } };
    expect(certificate).toMatchObject({ selfSigned: false, source: "acme", acme: { state: "valid" } });
    expect(certificate.issuer).toContain("Pebble Intermediate CA");

    // SIGTERM with sockets open on both the retired and the current server: both get 1001, exit 0.
    const binary = vaultroom;
    vaultroom = null;
    const [code, oldClose, freshClose] = await Promise.all([binary.stop(), old.closed, fresh.closed]);
    expect([code, oldClose.code, freshClose.code]).toEqual([0, 1001, 1001]);
  }, TIMEOUT);
});
