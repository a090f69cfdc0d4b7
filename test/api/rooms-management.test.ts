// Rooms over HTTP: who may create, see, join, leave, invite, remove, rename and archive.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Member, PublicRoom, Room, RoomInfo } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let app: TestApp;
let owner: TestUser, member: TestUser, stranger: TestUser, admin: TestUser, disabled: TestUser;

beforeAll(async () => {
  app = await createTestApp();
  [owner, member, stranger, admin, disabled] = await Promise.all([
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps),
    createTestUser(app.deps, { isAdmin: true }),
    createTestUser(app.deps),
  ]);
  await app.sql.run("UPDATE users SET disabled = 1 WHERE id = ?", disabled.id);
  // The owner and the member have talked before (a DM the member accepted): the owner adds them
  // straight into rooms. Everyone else is a stranger to the owner, whose invitations wait for an answer.
  const dm = await call<{ room: Room }>(owner, "/api/dms", { json: { userIds: [member.id] } });
  expect((await call(member, `/api/requests/${dm.body.room.id}/accept`, { method: "POST" })).status).toBe(200);
}, 30_000); // argon2id for the test users is slow on a busy machine
afterAll(() => app.close());

async function call<T = Record<string, unknown>>(user: TestUser | null, path: string, init: { method?: string; json?: unknown } = {}) {
  // A JSON body declares its length, as every browser sends it.
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers["content-length"] = String(Buffer.byteLength(JSON.stringify(init.json)));
  const res = await app.request(path, { ...init, headers, cookie: user?.cookie });
  return { status: res.status, body: (await res.json().catch(() => null)) as T & Record<string, unknown> };
}

async function newRoom(kind: "public" | "private", members: number[] = []) {
  const { status, body } = await call<{ room: Room }>(owner, "/api/rooms", { json: { kind, name: `  ${kind} room  `, topic: "t", members } });
  expect(status).toBe(201);
  return body.room;
}

describe("creating rooms", () => {
  test("makes me the owner, trims the name, and lists the room for its members only", async () => {
    const room = await newRoom("private", [member.id]);
    expect(room).toMatchObject({ kind: "private", name: "private room", topic: "t", role: "owner", memberCount: 2, unread: 0 });
    const mine = await call<{ rooms: Room[] }>(member, "/api/rooms");
    expect(mine.body.rooms.find((r) => r.id === room.id)).toMatchObject({ role: "member" });
    const theirs = await call<{ rooms: Room[] }>(stranger, "/api/rooms");
    expect(theirs.body.rooms.some((r) => r.id === room.id)).toBe(false);
    const browse = await call<{ rooms: PublicRoom[] }>(stranger, "/api/rooms/public");
    expect(browse.body.rooms.some((r) => r.id === room.id)).toBe(false);
  });

  test("refuses bad names, unknown or disabled members, and anonymous callers", async () => {
    for (const name of ["", "   ", "x".repeat(81), "two\nlines"]) {
      expect((await call(owner, "/api/rooms", { json: { kind: "public", name } })).body).toMatchObject({ error: "invalid_request" });
    }
    expect((await call(owner, "/api/rooms", { json: { kind: "dm", name: "x" } })).status).toBe(400);
    expect((await call(owner, "/api/rooms", { json: { kind: "public", name: "x", members: [987654] } })).body).toMatchObject({ error: "user_not_found" });
    expect((await call(owner, "/api/rooms", { json: { kind: "public", name: "x", members: [disabled.id] } })).body).toMatchObject({ error: "user_not_found" });
    expect((await call(owner, "/api/rooms", { json: { kind: "public", name: "x", members: ["1"] } })).status).toBe(400);
    expect((await call(null, "/api/rooms", { json: { kind: "public", name: "x" } })).status).toBe(401);
    expect((await call(null, "/api/rooms")).status).toBe(401);
  });
});

describe("the room-change rate limit", () => {
  test("stops a burst of room creation after 30 with rate_limited", async () => {
    const spammer = await createTestUser(app.deps);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await call(spammer, "/api/rooms", { json: { kind: "private", name: `spam ${i}` } })).status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(30);
    const refused = await call(spammer, "/api/dms", { json: { userIds: [owner.id] } });
    expect(refused).toMatchObject({ status: 429, body: { error: "rate_limited" } });
  });
});

describe("public rooms", () => {
  test("can be found and joined by anyone, idempotently, and left again", async () => {
    const room = await newRoom("public");
    const browse = await call<{ rooms: PublicRoom[] }>(stranger, "/api/rooms/public");
    expect(browse.body.rooms.find((r) => r.id === room.id)).toMatchObject({ joined: false, memberCount: 1 });
    const joined = await call<{ room: Room }>(stranger, `/api/rooms/${room.id}/join`, { method: "POST" });
    expect(joined.body.room).toMatchObject({ id: room.id, role: "member", memberCount: 2 });
    expect((await call(stranger, `/api/rooms/${room.id}/join`, { method: "POST" })).status).toBe(200);
    const left = await call(stranger, `/api/rooms/${room.id}/leave`, { method: "POST" });
    expect(left).toEqual({ status: 200, body: { roomId: room.id } });
    expect((await call(stranger, `/api/rooms/${room.id}/messages`)).status).toBe(404);
  });
});

describe("managing members", () => {
  test("only the owner or an admin may invite to or remove from a private room", async () => {
    const room = await newRoom("private", [member.id]);
    expect((await call(member, `/api/rooms/${room.id}/members`, { json: { userId: stranger.id } })).body).toMatchObject({ error: "not_allowed" });
    expect((await call(stranger, `/api/rooms/${room.id}/members`, { json: { userId: stranger.id } })).body).toMatchObject({ error: "room_not_found" });
    // The stranger has never talked to the owner: they are asked, and become a member by accepting.
    const invited = await call<{ requested: { id: number } }>(owner, `/api/rooms/${room.id}/members`, { json: { userId: stranger.id } });
    expect(invited.status).toBe(202);
    expect(invited.body.requested).toMatchObject({ id: stranger.id });
    expect((await call<{ room: Room }>(stranger, `/api/requests/${room.id}/accept`, { method: "POST" })).body.room).toMatchObject({ id: room.id, role: "member" });
    expect((await call(member, `/api/rooms/${room.id}/members/${stranger.id}`, { method: "DELETE" })).body).toMatchObject({ error: "not_allowed" });
    expect((await call(owner, `/api/rooms/${room.id}/members/${stranger.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(owner, `/api/rooms/${room.id}/members/${stranger.id}`, { method: "DELETE" })).body).toMatchObject({ error: "user_not_found" });
    // A private room an admin is not in stays invisible to them too.
    expect((await call(admin, `/api/rooms/${room.id}/members`, { json: { userId: admin.id } })).body).toMatchObject({ error: "room_not_found" });
  });

  test("when the last owner leaves, the longest-standing member becomes owner", async () => {
    const room = await newRoom("private", [member.id]);
    await call(owner, `/api/rooms/${room.id}/leave`, { method: "POST" });
    const members = await call<{ members: Member[] }>(member, `/api/rooms/${room.id}/members`);
    expect(members.body.members).toEqual([expect.objectContaining({ id: member.id, role: "owner" })]);
  });

  test("an admin may moderate a public room without joining it", async () => {
    const room = await newRoom("public", [member.id]);
    expect((await call(admin, `/api/rooms/${room.id}/members/${member.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call<{ room: RoomInfo }>(admin, `/api/rooms/${room.id}`, { method: "PATCH", json: { topic: "moderated" } })).body.room.topic).toBe("moderated");
  });
});

describe("renaming and archiving", () => {
  test("the owner renames and archives; an archived room is read-only; members may not", async () => {
    const room = await newRoom("public", [member.id]);
    expect((await call(member, `/api/rooms/${room.id}`, { method: "PATCH", json: { name: "mine" } })).body).toMatchObject({ error: "not_allowed" });
    const renamed = await call<{ room: RoomInfo }>(owner, `/api/rooms/${room.id}`, { method: "PATCH", json: { name: "renamed", topic: "new topic" } });
    expect(renamed.body.room).toEqual({ id: room.id, kind: "public", name: "renamed", topic: "new topic", archivedAt: null, pinPolicy: "members" });
    const archived = await call<{ room: RoomInfo }>(owner, `/api/rooms/${room.id}`, { method: "PATCH", json: { archived: true } });
    expect(archived.body.room.archivedAt).toBeGreaterThan(0);
    const post = await call(member, `/api/rooms/${room.id}/messages`, { json: { clientId: crypto.randomUUID(), body: "hello?" } });
    expect(post).toMatchObject({ status: 409, body: { error: "room_archived" } });
    expect((await call(member, `/api/rooms/${room.id}/messages`)).status).toBe(200);
    expect((await call(stranger, `/api/rooms/${room.id}/join`, { method: "POST" })).body).toMatchObject({ error: "room_archived" });
    expect((await call<{ rooms: PublicRoom[] }>(stranger, "/api/rooms/public")).body.rooms.some((r) => r.id === room.id)).toBe(false);
    const restored = await call<{ room: RoomInfo }>(owner, `/api/rooms/${room.id}`, { method: "PATCH", json: { archived: false } });
    expect(restored.body.room.archivedAt).toBeNull();
  });
});

describe("direct conversations", () => {
  test("group DMs hold at most 10 people, are not rooms one can manage, and can be left", async () => {
    const many = await Promise.all(Array.from({ length: 10 }, () => createTestUser(app.deps)));
    expect((await call(owner, "/api/dms", { json: { userIds: many.map((u) => u.id) } })).status).toBe(400);
    const group = await call<{ room: Room; created: boolean }>(owner, "/api/dms", { json: { userIds: many.slice(0, 9).map((u) => u.id) } });
    expect(group.status).toBe(201);
    expect(group.body.room.participants).toHaveLength(10);
    const same = await call<{ room: Room; created: boolean }>(many[3]!, "/api/dms", { json: { userIds: [owner.id, ...many.slice(0, 9).map((u) => u.id)].reverse() } });
    expect(same.body).toMatchObject({ created: false, room: { id: group.body.room.id } });
    const dmId = group.body.room.id;
    expect((await call(owner, `/api/rooms/${dmId}/members`, { json: { userId: stranger.id } })).body).toMatchObject({ error: "cannot_leave_dm" });
    expect((await call(owner, `/api/rooms/${dmId}`, { method: "PATCH", json: { name: "x" } })).body).toMatchObject({ error: "cannot_leave_dm" });
    expect((await call(owner, "/api/dms", { json: { userIds: [disabled.id] } })).body).toMatchObject({ error: "user_not_found" });
    // Leaving a group DM is allowed (issue 21 §4); a DM of two can only be hidden.
    expect((await call(owner, `/api/rooms/${dmId}/leave`, { method: "POST" })).status).toBe(200);
    const pair = await call<{ room: Room }>(owner, "/api/dms", { json: { userIds: [member.id] } });
    expect((await call(owner, `/api/rooms/${pair.body.room.id}/leave`, { method: "POST" })).body).toMatchObject({ error: "cannot_leave_dm" });
  });
});
