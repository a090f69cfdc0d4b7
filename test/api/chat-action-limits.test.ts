// The per-user bucket for state-changing chat requests that are not messages: joins, leaves, room
// changes, member removal, read marks and display-name changes each cost a durable commit. A refused
// request changes nothing: each is one that would have succeeded, and the state is read back after.
import { afterAll, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { DEFAULT_CHAT_LIMITS } from "../../src/messages/chat-limits.ts";
import type { Member, Room } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

const BURST = DEFAULT_CHAT_LIMITS.userActions.capacity;

let app: TestApp;
let owner: TestUser, calm: TestUser;
let room: Room;

beforeAll(async () => {
  app = await createTestApp();
  [owner, calm] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps)]);
  const created = await app.request("/api/rooms", { json: { kind: "public", name: "lobby" }, cookie: owner.cookie });
  room = ((await created.json()) as { room: Room }).room;
}, 30_000);
afterAll(() => app.close());

const join = (user: TestUser) => app.request(`/api/rooms/${room.id}/join`, { method: "POST", cookie: user.cookie });
const leave = (user: TestUser) => app.request(`/api/rooms/${room.id}/leave`, { method: "POST", cookie: user.cookie });

async function memberIds(roomId = room.id): Promise<number[]> {
  const response = await app.request(`/api/rooms/${roomId}/members`, { cookie: owner.cookie });
  return ((await response.json()) as { members: Member[] }).members.map((m) => m.id).sort((a, b) => a - b);
}

/** What busy's refused requests would have changed, read back through the API. */
async function stateOf(busy: TestUser, roomId: number) {
  const me = (await (await app.request("/api/me", { cookie: busy.cookie })).json()) as { user: { displayName: string | null } };
  const { room: seen } = (await (await app.request(`/api/rooms/${roomId}`, { cookie: busy.cookie })).json()) as { room: Room };
  const members = (await (await app.request(`/api/rooms/${roomId}/members`, { cookie: calm.cookie })).json()) as { members: Member[] };
  return {
    displayName: me.user.displayName,
    topic: seen.topic,
    lastReadId: seen.lastReadId,
    unread: seen.unread,
    members: members.members.map((m) => m.id).sort((a, b) => a - b),
  };
}

/** Joins and leaves until refused (bounded: refills are 2/s, so 4x the burst is far past it). */
async function exhaust(user: TestUser): Promise<{ allowed: number; refusal: Response }> {
  for (let i = 0; i < BURST * 4; i++) {
    const response = await (i % 2 === 0 ? join(user) : leave(user));
    if (response.status === 429) return { allowed: i, refusal: response };
    expect(response.status).toBe(200);
  }
  throw new Error("never rate limited");
}

describe("the per-user action limit", () => {
  test("normal use passes: a few joins and leaves, a topic change and a display-name change", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await join(calm)).status).toBe(200);
      expect((await leave(calm)).status).toBe(200);
    }
    const renamed = await app.request(`/api/rooms/${room.id}`, { method: "PATCH", json: { topic: "a calm topic" }, cookie: owner.cookie });
    expect(renamed.status).toBe(200);
    const named = await app.request("/api/account/", { method: "PATCH", json: { displayName: "Calm Person" }, cookie: calm.cookie });
    expect(named.status).toBe(200);
  });

  test("a burst of joins and leaves past the limit gets 429 rate_limited with Retry-After, and the refused one did nothing", async () => {
    // A user of its own: every test spends its own bucket.
    const busy = await createTestUser(app.deps);
    const { allowed, refusal } = await exhaust(busy);
    expect(allowed).toBeGreaterThanOrEqual(BURST);
    expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refusal.json()).toMatchObject({ error: "rate_limited" });
    // Attempts alternate join (even) and leave (odd): after `allowed` of them, busy is a member
    // exactly when the last one let through was a join.
    expect(await memberIds()).toContain(owner.id);
    expect((await memberIds()).includes(busy.id)).toBe(allowed % 2 === 1);
  });

  test("once refused, every other state-changing request of that user is refused too and changes nothing; nobody else's is", async () => {
    const busy = await createTestUser(app.deps);
    // Requests that would succeed: busy's own display name, a read mark in a room busy belongs to,
    // and the topic and a member of a room busy owns.
    const { room: own } = (await (await app.request("/api/rooms", { json: { kind: "public", name: "busy's own" }, cookie: busy.cookie })).json()) as { room: Room };
    // calm is in it (straight in the database: calm's own buckets are spent elsewhere, and an
    // invitation from busy, a stranger, would wait for calm's answer).
    await app.sql.run("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)", own.id, calm.id, Date.now());
    const posted = await app.request(`/api/rooms/${own.id}/messages`, { json: { clientId: crypto.randomUUID(), body: "unread" }, cookie: calm.cookie });
    const { message } = (await posted.json()) as { message: { id: number } };
    const before = await stateOf(busy, own.id);
    expect(before).toMatchObject({ displayName: null, topic: "", lastReadId: 0, unread: 1, members: [busy.id, calm.id].sort((a, b) => a - b) });

    // The clock stands still from the last allowed request to the checks: nothing refills meanwhile.
    setSystemTime(new Date(Date.now()));
    try {
    await exhaust(busy);
    const refused = [
      await app.request("/api/account/", { method: "PATCH", json: { displayName: "Busy" }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${own.id}/read`, { json: { messageId: message.id }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${own.id}`, { method: "PATCH", json: { topic: "busy" }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${own.id}/members/${calm.id}`, { method: "DELETE", cookie: busy.cookie }),
    ];
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(await stateOf(busy, own.id)).toEqual(before);
    expect((await join(calm)).status).toBe(200);
    } finally {
      setSystemTime();
    }
  });

  test("messages have their own bucket: a user out of actions may still post", async () => {
    const busy = await createTestUser(app.deps);
    await exhaust(busy);
    // The last successful step of exhaust() may have been a leave: join straight in the database.
    await app.sql.run(
      "INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?) ON CONFLICT DO NOTHING",
      room.id,
      busy.id,
      Date.now(),
    );
    const posted = await app.request(`/api/rooms/${room.id}/messages`, { json: { clientId: crypto.randomUUID(), body: "still here" }, cookie: busy.cookie });
    expect(posted.status).toBe(201);
  });
});
