// Messages over HTTP: the same rules as over the socket.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Message, ReadState } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let alice: TestUser, bob: TestUser, admin: TestUser, eve: TestUser;
let roomId: number;

async function call<T = Record<string, unknown>>(user: TestUser | null, path: string, init: { method?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers["content-length"] = String(Buffer.byteLength(JSON.stringify(init.json)));
  const res = await app.request(path, { ...init, headers, cookie: user?.cookie });
  return { status: res.status, body: (await res.json().catch(() => null)) as T & Record<string, unknown> };
}

beforeAll(async () => {
  app = await createTestApp();
  [alice, bob, admin, eve] = await Promise.all([
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps, { isAdmin: true }),
    createTestUser(app.deps),
  ]);
  const created = await call<{ room: { id: number } }>(alice, "/api/rooms", { json: { kind: "public", name: "http" } });
  roomId = created.body.room.id;
  // Bob joins himself: an invitation from Alice, a stranger to him, would wait for his answer.
  expect((await call(bob, `/api/rooms/${roomId}/join`, { method: "POST" })).status).toBe(200);
}, 30_000); // argon2id for the test users is slow on a busy machine
afterAll(() => app.close());

const post = (user: TestUser, body: string, clientId: string = crypto.randomUUID()) =>
  call<{ message: Message; duplicate: boolean }>(user, `/api/rooms/${roomId}/messages`, { json: { clientId, body } });

describe("posting over HTTP", () => {
  test("stores the message with the session's author, once per clientId", async () => {
    const clientId = crypto.randomUUID().toUpperCase();
    const first = await post(alice, "over http", clientId);
    expect(first.status).toBe(201);
    expect(first.body.message).toMatchObject({ body: "over http", author: { id: alice.id }, clientId: clientId.toLowerCase() });
    const again = await post(alice, "over http", clientId.toLowerCase());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, message: { id: first.body.message.id } });
    // Another author may happen to use the same clientId: it is theirs.
    const bobs = await post(bob, "mine", clientId);
    expect(bobs.status).toBe(201);
  });

  test("refuses a clientId that is not a UUID, a body over 4000 characters, and wrong JSON types", async () => {
    expect((await post(alice, "x", "not-a-uuid")).status).toBe(400);
    expect((await post(alice, "x".repeat(4001))).body).toMatchObject({ error: "invalid_request" });
    const typed = await call(alice, `/api/rooms/${roomId}/messages`, { json: { clientId: crypto.randomUUID(), body: 42 } });
    expect(typed.body).toMatchObject({ error: "invalid_request" });
    expect((await call(alice, "/api/rooms/abc/messages")).status).toBe(400);
  });

  test("a non-member is answered exactly as for a room that does not exist", async () => {
    const theirs = await post(eve, "hi");
    const none = await call(eve, "/api/rooms/424242/messages", { json: { clientId: crypto.randomUUID(), body: "hi" } });
    expect(theirs).toEqual(none as typeof theirs);
    expect(theirs.status).toBe(404);
  });
});

describe("editing and deleting over HTTP", () => {
  test("the author edits; others may not; an admin may delete in a public room", async () => {
    const { body } = await post(alice, "draft");
    const id = body.message.id;
    expect((await call<{ message: Message }>(alice, `/api/messages/${id}`, { method: "PATCH", json: { body: "final" } })).body.message.body).toBe("final");
    expect((await call(bob, `/api/messages/${id}`, { method: "PATCH", json: { body: "hijack" } })).body).toMatchObject({ error: "not_allowed" });
    expect((await call(eve, `/api/messages/${id}`, { method: "PATCH", json: { body: "hijack" } })).body).toMatchObject({ error: "message_not_found" });
    expect((await call(admin, `/api/messages/${id}`, { method: "DELETE" })).body).toEqual({ roomId, messageId: id });
    expect((await call(alice, `/api/messages/${id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("history pages", () => {
  test("of very long messages stop early (hasMore) so a reply stays small, and page on to the end", async () => {
    const insert = (...params: unknown[]) => app.sql.run("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)", ...params);
    const created = await call<{ room: { id: number } }>(alice, "/api/rooms", { json: { kind: "private", name: "long" } });
    const longRoom = created.body.room.id;
    // Submitted together: one group commit, in this order.
    await Promise.all(Array.from({ length: 100 }, (_, i) => insert(longRoom, alice.id, crypto.randomUUID(), `${i} `.padEnd(4000, "z"), Date.now())));
    const seen: number[] = [];
    let before = "";
    for (;;) {
      const page = await call<{ messages: Message[]; hasMore: boolean }>(alice, `/api/rooms/${longRoom}/messages?limit=100${before}`);
      expect(page.body.messages.length).toBeLessThan(100);
      expect(JSON.stringify(page.body).length).toBeLessThan(512 * 1024);
      seen.push(...page.body.messages.map((m) => m.id));
      if (!page.body.hasMore) break;
      before = `&before=${page.body.messages.at(-1)!.id}`;
    }
    expect(seen).toHaveLength(100);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });
});

describe("read marks over HTTP", () => {
  test("move my read position and the unread count", async () => {
    const { body } = await post(alice, "unread for bob");
    const before = await call<{ rooms: { id: number; unread: number }[] }>(bob, "/api/rooms");
    expect(before.body.rooms.find((r) => r.id === roomId)!.unread).toBeGreaterThan(0);
    const marked = await call<ReadState>(bob, `/api/rooms/${roomId}/read`, { json: { messageId: body.message.id } });
    expect(marked.body).toEqual({ roomId, lastReadId: body.message.id, unread: 0, mentions: 0 });
    expect((await call(eve, `/api/rooms/${roomId}/read`, { json: { messageId: 1 } })).status).toBe(404);
  });
});
