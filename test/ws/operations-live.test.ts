// Operations seen by connected clients: socket frames and closes counted in /metrics, a moderator's
// deletion and a ban reaching the sockets at once, and a banned user's room.join refused.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import parse from "parse-prometheus-text-format";
import { startTestServer, tempDir } from "../support/app.ts";
import { acceptInvitation, api, userWithSocket, uuid, type TestServer } from "./client.ts";

const TOKEN = "socket-metrics-token-0123456789";
let server: TestServer;

beforeAll(async () => {
  const tokenFile = join(tempDir(), "token");
  writeFileSync(tokenFile, TOKEN);
  server = await startTestServer({ config: { metricsTokenFile: tokenFile } });
}, 30_000);
afterAll(() => server.stop());

/** A counter summed over every node (each serves its own metrics), labels matching `labels`. */
async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
  let sum = 0;
  for (const node of server.nodes) {
    const res = await node.handle(new Request("https://localhost/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }));
    for (const family of parse(await res.text())) {
      if (family.name !== name) continue;
      for (const sample of family.metrics) {
        if (Object.entries(labels).every(([k, v]) => sample.labels?.[k] === v)) sum += Number(sample.value);
      }
    }
  }
  return sum;
}

describe("socket metrics", () => {
  test("frames in and out and closes by code are counted", async () => {
    const before = { in: await counter("vaultroom_ws_frames_received_total"), out: await counter("vaultroom_ws_frames_sent_total"), closes: await counter("vaultroom_ws_closes_total", { code: "1000" }) };
    const { socket } = await userWithSocket(server);
    await socket.ok({ type: "ping" });
    await socket.ok({ type: "ping" });
    socket.ws.close(1000, "bye");
    await socket.closed;
    // The server's close handler may run just after the client sees the close: wait for the count.
    for (let i = 0; i < 100 && (await counter("vaultroom_ws_closes_total", { code: "1000" })) === before.closes; i++) await new Promise((r) => setImmediate(r));
    expect((await counter("vaultroom_ws_frames_received_total")) - before.in).toBe(2);
    // ready + two acks.
    expect((await counter("vaultroom_ws_frames_sent_total")) - before.out).toBeGreaterThanOrEqual(3);
    expect((await counter("vaultroom_ws_closes_total", { code: "1000" })) - before.closes).toBe(1);
  });

  test("a rate-limit refusal is counted by bucket", async () => {
    const { socket } = await userWithSocket(server);
    const before = await counter("vaultroom_rate_limit_refusals_total", { bucket: "connection.frames" });
    // The per-connection frame bucket holds 120: ten more are refused.
    for (let i = 0; i < 130; i++) socket.send({ type: "typing.start", roomId: 999_999, requestId: `t${i}` });
    await socket.nextOf("error", (e) => e.code === "rate_limited");
    expect((await counter("vaultroom_rate_limit_refusals_total", { bucket: "connection.frames" })) - before).toBeGreaterThanOrEqual(1);
    socket.close();
  });
});

describe("moderation, live", () => {
  test("an owner's deletion reaches every member; a banned member's sockets leave the room and cannot rejoin", async () => {
    const owner = await userWithSocket(server);
    const member = await userWithSocket(server);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "public", name: "live moderation", members: [member.user.id] } });
    const roomId = ((await res.json()) as { room: { id: number } }).room.id;
    await acceptInvitation(server, member.user, roomId);
    await member.socket.nextOf("room.added", (e) => e.room.id === roomId);
    const posted = await member.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "out of line" });

    await owner.socket.ok({ type: "message.delete", messageId: posted.message.id });
    await member.socket.nextOf("message.deleted", (e) => e.messageId === posted.message.id);

    expect((await api(server, owner.user, `/api/rooms/${roomId}/bans`, { json: { userId: member.user.id, reason: "spam" } })).status).toBe(201);
    const removed = await member.socket.nextOf("room.removed", (e) => e.roomId === roomId);
    expect(removed.reason).toBe("removed");
    await owner.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "after the ban" });
    await member.socket.barrier();
    expect(member.socket.of("message.created").some((e) => e.message.body === "after the ban")).toBe(false);
    const rejoin = await member.socket.request({ type: "room.join", roomId });
    expect(rejoin).toMatchObject({ type: "error", code: "banned_from_room" });
    owner.socket.close();
    member.socket.close();
  });
});

