// The cluster through its faults, each on private Postgres and Redis servers this file may stop:
// Redis restarted during traffic, a node killed with SIGKILL, Postgres stopped. In every case no
// acknowledged message is lost, and the nodes recover by themselves.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { RunningBinary } from "../support/binary.ts";
import { TestSocket, uuid } from "../ws/client.ts";
import { call, endpoint, publicRoom, register, socketOn } from "./client.ts";
import { startCluster, type Cluster } from "./nodes.ts";
import { restartRedis, startPostgres, startServices, stopPostgres, type Services } from "./services.ts";

setDefaultTimeout(60_000);

let services: Services | null = null;
let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  await services?.stop();
  cluster = null;
  services = null;
});

async function setUp(args: string[] = []) {
  services = await startServices({ private: true });
  cluster = await startCluster(services, { args });
  const [a, b] = cluster.nodes as [RunningBinary, RunningBinary];
  const alice = await register(a);
  const bob = await register(b);
  const roomId = await publicRoom(a, alice, [bob], [b]);
  return { a, b, alice, bob, roomId };
}

const health = async (node: RunningBinary) => {
  const response = await call(node, "/api/health");
  return { status: response.status, body: (await response.json()) as { status?: string; error?: string } };
};

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}

const createdIds = (socket: TestSocket, roomId: number) =>
  new Set(socket.events.filter((e) => e.type === "message.created" && e.message.roomId === roomId).map((e) => (e as { message: { id: number } }).message.id));

describe("faults", () => {
  test("Redis restarted during traffic: subscriptions come back and no client misses an acknowledged message", async () => {
    const { a, b, alice, bob, roomId } = await setUp();
    const onA = await socketOn(a, alice);
    const onB = await socketOn(b, bob);
    const acked: number[] = [];
    let stop = false;
    const poster = (async () => {
      for (let i = 0; !stop; i++) {
        const socket = i % 2 === 0 ? onA : onB;
        const answer = await socket.request({ type: "message.post", roomId, clientId: uuid(), body: `m${i}` });
        if (answer.type === "ack") acked.push(answer.messageId);
        await Bun.sleep(40);
      }
    })();
    await Bun.sleep(500);
    const outage = restartRedis(services!, 2500);
    // While Redis is down the nodes say so, and keep serving.
    await until(async () => (await health(a)).body.status === "degraded", 8000, "node A to report degraded");
    await outage;
    await until(async () => (await health(a)).body.status === "ok" && (await health(b)).body.status === "ok", 15_000, "both nodes to hear Redis again");
    await Bun.sleep(500);
    stop = true;
    await poster;
    expect(acked.length).toBeGreaterThan(40);
    // Every acknowledged message reaches both clients, whichever node it was posted on.
    await until(() => acked.every((id) => createdIds(onA, roomId).has(id) && createdIds(onB, roomId).has(id)), 10_000, "every acked message on both sockets");
    onA.close();
    onB.close();
  });

  test("a node killed with SIGKILL: its clients reconnect to the other node, resync, and nothing acknowledged is lost", async () => {
    // A bot's rate, so the posting is limited by the commits, not by the per-user budget.
    const { a, b, alice, bob, roomId } = await setUp(["--message-rate", "2000"]);
    const onA = await socketOn(a, alice);
    const onB = await socketOn(b, bob);
    const acked = new Map<string, number>();
    let killedAt = 0;
    const poster = (async () => {
      for (let i = 0; i < 400; i++) {
        const clientId = uuid();
        const answer = await onA.request({ type: "message.post", roomId, clientId, body: `a${i}` }).catch(() => null);
        if (!answer || answer.type !== "ack") break;
        acked.set(clientId, answer.messageId);
      }
    })();
    await until(() => acked.size >= 50, 10_000, "50 acks");
    killedAt = acked.size;
    await a.kill("SIGKILL");
    await Promise.race([poster, Bun.sleep(3000)]);
    expect(killedAt).toBeGreaterThanOrEqual(50);
    // Alice reconnects to the surviving node and syncs from the last message she saw.
    const again = await TestSocket.connect(endpoint(b), alice.cookie);
    const sync = await again.ok({ type: "sync", rooms: [{ roomId, lastId: 0 }], since: 0 });
    const stored = new Map(sync.rooms.flatMap((room) => room.messages).map((m) => [m.clientId, m.id]));
    for (const [clientId, id] of acked) expect(stored.get(clientId)).toBe(id);
    // Each exactly once.
    expect(new Set(stored.values()).size).toBe(stored.size);
    // Bob, on the surviving node, heard every acknowledged message live or gets it by sync.
    const bobSync = await onB.ok({ type: "sync", rooms: [{ roomId, lastId: 0 }], since: 0 });
    const bobHas = new Set([...createdIds(onB, roomId), ...bobSync.rooms.flatMap((room) => room.messages).map((m) => m.id)]);
    for (const id of acked.values()) expect(bobHas.has(id)).toBe(true);
    again.close();
    onB.close();
  });

  test("Postgres stopped: fast 503s, no acknowledgement without a commit, and recovery when it returns", async () => {
    const { a, alice, roomId } = await setUp();
    const onA = await socketOn(a, alice);
    await onA.ok({ type: "message.post", roomId, clientId: uuid(), body: "before" });
    stopPostgres(services!);
    const started = performance.now();
    const response = await call(a, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "while down" }, cookie: alice.cookie });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toBe("database_unavailable");
    expect(performance.now() - started).toBeLessThan(8000);
    const lostId = uuid();
    const answer = await onA.request({ type: "message.post", roomId, clientId: lostId, body: "socket while down" });
    expect(answer).toMatchObject({ type: "error", code: "database_unavailable" });
    expect((await health(a)).status).toBe(503);
    startPostgres(services!);
    await until(async () => (await health(a)).status === 200, 20_000, "node A to reach Postgres again");
    const after = await call(a, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "after" }, cookie: alice.cookie });
    expect(after.status).toBe(201);
    // Nothing that was refused was stored after all.
    const history = (await (await call(a, `/api/rooms/${roomId}/messages`, { cookie: alice.cookie })).json()) as { messages: { clientId: string; body: string; event?: unknown }[] };
    // (System lines, such as someone joining, are not posts.)
    expect(history.messages.filter((m) => !m.event).map((m) => m.body)).toEqual(["after", "before"]);
    expect(history.messages.some((m) => m.clientId === lostId)).toBe(false);
  });
});
