// Bun calls the socket's open/message/close straight from its event loop, where an exception would
// stop the whole server. A failure there (here: a database error) ends that one socket with 1011;
// the server stays up for everyone else.
import { afterAll, beforeAll, expect, setSystemTime, spyOn, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import type { Presence } from "../../src/presence/presence.ts";
import { SESSION_RECHECK_MS } from "../../src/ws/socket.ts";
import { api, TestSocket, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

function rawSocket(cookie: string) {
  const ws = new WebSocket(server.wsUrl, { headers: { cookie, origin: server.origin }, tls: { rejectUnauthorized: false } } as unknown as string[]);
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  return { ws, closed };
}

test("a database error while a socket opens closes that socket with 1011 and the server stays up", async () => {
  const user = await createTestUser(server.deps);
  await server.sql.run("ALTER TABLE room_members RENAME TO room_members_away");
  try {
    const { closed } = rawSocket(user.cookie);
    expect(await closed).toBe(1011);
  } finally {
    await server.sql.run("ALTER TABLE room_members_away RENAME TO room_members");
  }
  const health = await api(server, null, "/api/health");
  expect(health.status).toBe(200);
  const again = await TestSocket.connect(server, user.cookie);
  await again.ok({ type: "ping" });
  again.close();
});

test("a database error while a busy socket re-checks its session closes it with 1011 and the server stays up", async () => {
  const user = await createTestUser(server.deps);
  const socket = await TestSocket.connect(server, user.cookie);
  await server.sql.run("ALTER TABLE sessions RENAME TO sessions_away");
  try {
    setSystemTime(new Date(Date.now() + SESSION_RECHECK_MS + 1000));
    socket.send({ type: "ping" });
    expect((await socket.closed).code).toBe(1011);
  } finally {
    setSystemTime();
    await server.sql.run("ALTER TABLE sessions_away RENAME TO sessions");
  }
  expect((await api(server, null, "/api/health")).status).toBe(200);
});

// Presence reads nothing from the database any more: what can fail on its timer is the delivery.
test("a failure while presence is announced (on a timer) is logged, not thrown", () => {
  const chat = server.app.decorator.chat;
  const logged = spyOn(server.deps.logger, "error");
  const delivery = spyOn(chat.hub, "toEveryone").mockImplementation(() => {
    throw new Error("delivery failed");
  });
  chat.presence.connected(987_654);
  try {
    // A lone node's presence (no cluster here).
    expect(() => (chat.presence as Presence).flush()).not.toThrow();
    expect(delivery).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls.map((call) => call[0])).toContain("presence_announce_failed");
  } finally {
    delivery.mockRestore();
    logged.mockRestore();
    chat.presence.disconnected(987_654);
  }
});
