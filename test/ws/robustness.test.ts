// Bad input gets a clear error and never takes the server down.
import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { api, TestSocket, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

async function stillServing() {
  const health = await api(server, null, "/api/health");
  expect(health.status).toBe(200);
  const user = await createTestUser(server.deps);
  const socket = await TestSocket.connect(server, user.cookie);
  await socket.barrier();
  socket.close();
}

describe("a malformed frame", () => {
  test("gets an error event naming the problem, and the socket stays usable", async () => {
    const { socket } = await userWithSocket(server);
    const cases: [string | Uint8Array, string][] = [
      ["{not json", "invalid_json"],
      ['{"type": "message.post", "roomId": 1,', "invalid_json"],
      [new Uint8Array([1, 2, 3]), "invalid_json"],
      ["42", "invalid_request"],
      ['"message.post"', "invalid_request"],
      ["null", "invalid_request"],
      ["[1,2]", "invalid_request"],
      ['{"no":"type"}', "invalid_request"],
      ['{"type": 7}', "invalid_request"],
      ['{"type":"launch.missiles"}', "unknown_type"],
      ['{"type":"__proto__"}', "unknown_type"],
      ['{"type":"toString"}', "unknown_type"],
      ['{"type":"message.post","roomId":"1","clientId":"x","body":"hi"}', "invalid_request"],
      ['{"type":"message.post","roomId":1.5,"clientId":"' + uuid() + '","body":"hi"}', "invalid_request"],
      ['{"type":"history","roomId":-1}', "invalid_request"],
      ['{"type":"sync","rooms":"all"}', "invalid_request"],
      ['{"type":"read.mark","roomId":1}', "invalid_request"],
    ];
    for (const [frame, code] of cases) {
      const before = socket.events.length;
      socket.sendRaw(frame);
      const error = await socket.next((e) => e.type === "error" && socket.events.indexOf(e) >= before);
      expect({ frame: String(frame), code: (error as { code: string }).code }).toEqual({ frame: String(frame), code });
    }
    const answer = await socket.request({ type: "message.post", roomId: "1", clientId: uuid(), body: "x" } as never);
    expect(answer).toMatchObject({ type: "error", code: "invalid_request", message: 'The field "roomId" is missing or invalid.' });
    await socket.barrier();
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    socket.close();
    await stillServing();
  });

  test("over 16 KiB closes the socket with 1009 and leaves the server up", async () => {
    const { socket } = await userWithSocket(server);
    socket.sendRaw(JSON.stringify({ type: "ping", padding: "x".repeat(17 * 1024) }));
    expect((await socket.closed).code).toBe(1009);
    await stillServing();
  });
});

describe("the message rate limit", () => {
  afterEach(() => setSystemTime());
  test("answers rate_limited with a retry time after a burst of 20, and stores nothing refused", async () => {
    const { socket, user } = await userWithSocket(server);
    const res = await api(server, user, "/api/rooms", { json: { kind: "private", name: "flood" } });
    const { room } = (await res.json()) as { room: { id: number } };
    // The clock stands still during the burst: a loaded machine would otherwise refill the bucket.
    setSystemTime(new Date(Date.now()));
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => socket.request({ type: "message.post", roomId: room.id, clientId: uuid(), body: `flood ${i}` })),
    );
    const acked = answers.filter((a) => a.type === "ack");
    const limited = answers.filter((a) => a.type === "error" && a.code === "rate_limited");
    expect(acked.length).toBe(20);
    expect(limited.length).toBe(30 - acked.length);
    expect(limited[0]).toMatchObject({ retryAfterMs: 1000 });
    const stored = (await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE room_id = ?", room.id))!;
    expect(stored.n).toBe(acked.length);
    // The same user over HTTP shares the per-user bucket.
    const http = await api(server, user, `/api/rooms/${room.id}/messages`, { json: { clientId: uuid(), body: "sneak" } });
    expect(http.status).toBe(429);
    expect(await http.json()).toMatchObject({ error: "rate_limited" });
    socket.close();
  });
});
