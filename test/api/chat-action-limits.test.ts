// The per-user bucket for state-changing chat requests that are not messages: joins, leaves, room
// changes, member removal, read marks and display-name changes each cost a durable commit.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { DEFAULT_CHAT_LIMITS } from "../../src/messages/chat-limits.ts";
import type { Room } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

const BURST = DEFAULT_CHAT_LIMITS.userActions.capacity;

let app: TestApp;
let owner: TestUser, busy: TestUser, calm: TestUser;
let room: Room;

beforeAll(async () => {
  app = await createTestApp();
  [owner, busy, calm] = await Promise.all([createTestUser(app.deps), createTestUser(app.deps), createTestUser(app.deps)]);
  const created = await app.request("/api/rooms", { json: { kind: "public", name: "lobby" }, cookie: owner.cookie });
  room = ((await created.json()) as { room: Room }).room;
}, 30_000);
afterAll(() => app.close());

const join = (user: TestUser) => app.request(`/api/rooms/${room.id}/join`, { method: "POST", cookie: user.cookie });
const leave = (user: TestUser) => app.request(`/api/rooms/${room.id}/leave`, { method: "POST", cookie: user.cookie });

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

  test("a burst of joins and leaves past the limit gets 429 rate_limited with Retry-After", async () => {
    const { allowed, refusal } = await exhaust(busy);
    expect(allowed).toBeGreaterThanOrEqual(BURST);
    expect(Number(refusal.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await refusal.json()).toMatchObject({ error: "rate_limited" });
  });

  test("once refused, every other state-changing request of that user is refused too, and nobody else's", async () => {
    // `busy` is out of tokens from the test before; take what refilled since.
    await exhaust(busy);
    const refused = [
      await app.request("/api/account/", { method: "PATCH", json: { displayName: "Busy" }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${room.id}/read`, { json: { messageId: 1 }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${room.id}`, { method: "PATCH", json: { topic: "busy" }, cookie: busy.cookie }),
      await app.request(`/api/rooms/${room.id}/members/${owner.id}`, { method: "DELETE", cookie: busy.cookie }),
    ];
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect((await join(calm)).status).toBe(200);
  });

  test("messages have their own bucket: a user out of actions may still post", async () => {
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
