// Bun calls the socket's open/message/close straight from its event loop, where an exception would
// stop the whole server. A failure there (here: a database error) ends that one socket with 1011;
// the server stays up for everyone else. Presence is announced from a timer, where the same holds.
import { afterAll, beforeAll, expect, setSystemTime, test } from "bun:test";
import { createLogger } from "../../src/log.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { SESSION_RECHECK_MS } from "../../src/ws/socket.ts";
import { api, TestSocket, type TestServer } from "./client.ts";

let server: TestServer;
/** What the server logged, one JSON line each. */
const logged: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ logger: createLogger((line) => logged.push(line)) });
}, 30_000);
afterAll(() => server.stop());

function rawSocket(cookie: string) {
  const ws = new WebSocket(server.wsUrl, { headers: { cookie, origin: server.origin }, tls: { rejectUnauthorized: false } } as unknown as string[]);
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  return { ws, closed };
}

test("a database error while a socket opens closes that socket with 1011 and the server stays up", async () => {
  const user = await createTestUser(server.deps);
  server.deps.db.exec("ALTER TABLE room_members RENAME TO room_members_away");
  try {
    const { closed } = rawSocket(user.cookie);
    expect(await closed).toBe(1011);
  } finally {
    server.deps.db.exec("ALTER TABLE room_members_away RENAME TO room_members");
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
  server.deps.db.exec("ALTER TABLE sessions RENAME TO sessions_away");
  try {
    setSystemTime(new Date(Date.now() + SESSION_RECHECK_MS + 1000));
    socket.send({ type: "ping" });
    expect((await socket.closed).code).toBe(1011);
  } finally {
    setSystemTime();
    server.deps.db.exec("ALTER TABLE sessions_away RENAME TO sessions");
  }
  expect((await api(server, null, "/api/health")).status).toBe(200);
});

test("a failure while presence is announced (on a timer) is logged, not thrown", () => {
  const chat = server.app.decorator.chat;
  // Presence reads no table: announcing is one publish to every socket. Make that publish fail.
  const publish = chat.hub.toEveryone;
  const announced: unknown[] = [];
  chat.hub.toEveryone = (event) => {
    announced.push(event);
    throw new Error("publish failed");
  };
  chat.presence.connected(987_654);
  try {
    expect(() => chat.presence.flush()).not.toThrow();
  } finally {
    chat.hub.toEveryone = publish;
    chat.presence.disconnected(987_654);
  }
  // The failure happened where it was meant to, and was reported.
  expect(announced).toEqual([{ type: "presence.changed", online: [987_654], offline: [] }]);
  expect(logged.map((line) => JSON.parse(line) as { event: string; error?: string }).filter((e) => e.event === "presence_announce_failed")).toEqual([
    expect.objectContaining({ event: "presence_announce_failed", error: "Error: publish failed" }),
  ]);
});
