// Nobody can fill my room list or lock me out (issue 21 §4): strangers' invitations are requests,
// requests are bounded, blocked people are refused and learn nothing more, requests reveal nothing of
// a private room before acceptance, DMs can be hidden and group DMs left, and an administrator can
// take someone out of rooms in bulk. Runs on SQLite and in cluster mode (VAULTROOM_TEST_ENGINE).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_PENDING_REQUESTS, MAX_REQUESTS_FROM_ONE_INVITER, MAX_ROOMS_PER_USER, type Room, type RoomRequest } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { fillRooms } from "../support/commands.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { api, TestSocket, uuid, type TestServer } from "../ws/client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server.stop());

const users = (n: number, options: Parameters<typeof createTestUser>[1] = {}) =>
  Promise.all(Array.from({ length: n }, () => createTestUser(server.deps, options)));

async function call<T = Record<string, unknown>>(user: TestUser, path: string, init: { method?: string; json?: unknown } = {}) {
  const res = await api(server, user, path, init);
  return { status: res.status, body: (await res.json().catch(() => null)) as T & { error?: string } };
}

const requestsOf = async (user: TestUser) => (await call<{ requests: RoomRequest[] }>(user, "/api/requests")).body.requests;
const roomsOf = async (user: TestUser) => (await call<{ rooms: Room[] }>(user, "/api/rooms")).body.rooms;

describe("a flood of invitations", () => {
  test("18 helpers opening 499 DMs and a private room onto a victim leave requests, not rooms, and the victim free", async () => {
    const [victim] = await users(1);
    const helpers = await users(18);
    const outcomes = new Map<string, number>();
    const note = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    // A private room with the victim in it, then 499 DM openings: each helper's own DM, then group
    // DMs with the victim and two other helpers (a new conversation each time).
    const room = await call<{ room: Room; requested: number[] }>(helpers[0]!, "/api/rooms", { json: { kind: "private", name: "trap", members: [victim!.id] } });
    expect(room.status).toBe(201);
    expect(room.body.requested).toEqual([victim!.id]);
    let attempts = 0;
    for (let round = 0; attempts < 499; round++) {
      await Promise.all(
        helpers.map(async (helper, i) => {
          if (attempts >= 499) return;
          attempts++;
          const others = round === 0 ? [] : [helpers[(i + round) % 18]!.id, helpers[(i + 2 * round + 1) % 18]!.id].filter((id) => id !== helper.id);
          const reply = await call(helper, "/api/dms", { json: { userIds: [victim!.id, ...new Set(others)] } });
          note(reply.status < 300 ? "opened" : reply.body.error!);
        }),
      );
    }
    // Every refusal is a bound on requests or a rate limit: never the victim's room cap.
    for (const key of outcomes.keys()) expect(["opened", "too_many_invitations", "rate_limited"]).toContain(key);
    expect(outcomes.get("too_many_invitations") ?? 0).toBeGreaterThan(0);

    // The victim is in no room at all: the flood is a bounded list of requests.
    expect(await roomsOf(victim!)).toEqual([]);
    const requests = await requestsOf(victim!);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.length).toBeLessThanOrEqual(MAX_PENDING_REQUESTS);
    const perInviter = Map.groupBy(requests, (r) => r.invitedBy.id);
    for (const list of perInviter.values()) expect(list.length).toBeLessThanOrEqual(MAX_REQUESTS_FROM_ONE_INVITER);
    expect(requests.find((r) => r.roomId === room.body.room.id)).toMatchObject({ kind: "private", name: "trap", invitedBy: { id: helpers[0]!.id } });

    // ...and is not locked out: creating, joining and opening a DM all work.
    const mine = await call<{ room: Room }>(victim!, "/api/rooms", { json: { kind: "public", name: "mine" } });
    expect(mine.status).toBe(201);
    const [friend] = await users(1);
    expect((await call(friend!, `/api/rooms/${mine.body.room.id}/join`, { method: "POST" })).status).toBe(200);
    expect((await call(victim!, "/api/dms", { json: { userIds: [friend!.id] } })).status).toBeLessThan(300);
    // The live connection says the same: requests in `ready`, not rooms.
    const socket = await TestSocket.connect(server, victim!.cookie);
    const ready = await socket.nextOf("ready");
    expect(ready.rooms.map((r) => r.id)).not.toContain(room.body.room.id);
    expect(ready.requests!.length).toBe(requests.length);
    socket.close();
  }, 240_000);

  test("someone already in the most rooms they may choose still receives requests and is added by people they know", async () => {
    const [full, known, stranger] = await users(3);
    const shared = await call<{ room: Room }>(known!, "/api/dms", { json: { userIds: [full!.id] } });
    expect(shared.status).toBeLessThan(300);
    // full accepts the DM from `known` (a stranger until now), so they know each other from here on.
    expect((await call(full!, `/api/requests/${shared.body.room.id}/accept`, { method: "POST" })).status).toBe(200);
    // With the DM, exactly as many rooms of their own choosing as they may have.
    await server.store.write(fillRooms, { userId: full!.id, count: MAX_ROOMS_PER_USER - 1 });
    // A room someone they know adds them to does not count against their own choices...
    const added = await call<{ room: Room; requested: number[] }>(known!, "/api/rooms", { json: { kind: "private", name: "work", members: [full!.id] } });
    expect(added.status).toBe(201);
    expect(added.body.requested).toEqual([]);
    expect((await roomsOf(full!)).some((r) => r.id === added.body.room.id)).toBe(true);
    // ...and a stranger's invitation waits as a request; accepting it is their own choice, refused while full.
    const invite = await call<{ room: Room }>(stranger!, "/api/rooms", { json: { kind: "private", name: "later", members: [full!.id] } });
    expect((await call(full!, `/api/requests/${invite.body.room.id}/accept`, { method: "POST" })).body.error).toBe("too_many_rooms");
    const some = (await server.sql.get<{ id: number }>("SELECT m.room_id AS id FROM room_members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? AND m.chosen = 1 AND r.kind = 'public' LIMIT 1", full!.id))!;
    expect((await call(full!, `/api/rooms/${some.id}/leave`, { method: "POST" })).status).toBe(200);
    expect((await call(full!, `/api/requests/${invite.body.room.id}/accept`, { method: "POST" })).status).toBe(200);
  }, 120_000);
});

describe("a request reveals nothing before it is accepted", () => {
  test("the invitee sees the card, not the room's messages or members; a missing room answers the same", async () => {
    const [owner, invitee, bystander] = await users(3);
    const { body } = await call<{ room: Room }>(owner!, "/api/rooms", { json: { kind: "private", name: "secret", members: [invitee!.id] } });
    const roomId = body.room.id;
    expect((await call(owner!, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "the plan" } })).status).toBe(201);
    const missing = roomId + 100_000;
    for (const path of ["/messages", "/members", ""]) {
      const seen = await call(invitee!, `/api/rooms/${roomId}${path}`);
      const none = await call(invitee!, `/api/rooms/${missing}${path}`);
      expect({ path, status: seen.status, body: seen.body }).toEqual({ path, status: none.status, body: none.body });
      expect(seen.status).toBe(404);
    }
    // Posting into it is refused the same way.
    const post = await call(invitee!, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "hi" } });
    expect(post.status).toBe(404);
    // Nobody but the invitee can answer it.
    expect((await call(bystander!, `/api/requests/${roomId}/accept`, { method: "POST" })).body.error).toBe("request_not_found");
    expect((await call(bystander!, `/api/rooms/${roomId}/join`, { method: "POST" })).status).toBe(404);
    // Accepted: a member who reads the history.
    const accepted = await call<{ room: Room }>(invitee!, `/api/requests/${roomId}/accept`, { method: "POST" });
    expect(accepted.body.room).toMatchObject({ id: roomId, memberCount: 2 });
    expect(await requestsOf(invitee!)).toEqual([]);
    // Newest first: the room's system line of the join (issue 11), then what was said before it.
    const history = await call<{ messages: { body: string; event?: { kind: string } }[] }>(invitee!, `/api/rooms/${roomId}/messages`);
    expect(history.body.messages.map((m) => m.event?.kind ?? m.body)).toEqual(["joined", "the plan"]);
  }, 60_000);

  test("declining leaves nothing; the owner may withdraw a request; the inviter's other devices hear nothing private", async () => {
    const [owner, invitee] = await users(2);
    const { body } = await call<{ room: Room }>(owner!, "/api/rooms", { json: { kind: "private", name: "maybe", members: [invitee!.id] } });
    expect((await call(invitee!, `/api/requests/${body.room.id}/decline`, { method: "POST", json: {} })).status).toBe(200);
    expect(await requestsOf(invitee!)).toEqual([]);
    expect((await call(invitee!, `/api/requests/${body.room.id}/accept`, { method: "POST" })).body.error).toBe("request_not_found");
    const again = await call(owner!, `/api/rooms/${body.room.id}/members`, { json: { userId: invitee!.id } });
    expect(again.status).toBe(202);
    expect((await call(owner!, `/api/rooms/${body.room.id}/members/${invitee!.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await requestsOf(invitee!)).toEqual([]);
  }, 60_000);
});

describe("blocking", () => {
  test("a blocked person cannot open a DM or add me, learns only the refusal, and their requests go", async () => {
    const [me, pest, other] = await users(3);
    const { body } = await call<{ room: Room }>(pest!, "/api/rooms", { json: { kind: "private", name: "spam", members: [me!.id] } });
    expect((await requestsOf(me!)).map((r) => r.roomId)).toEqual([body.room.id]);
    expect((await call(me!, `/api/blocks/${pest!.id}`, { method: "PUT" })).status).toBe(200);
    expect(await requestsOf(me!)).toEqual([]);
    const dm = await call(pest!, "/api/dms", { json: { userIds: [me!.id] } });
    const add = await call(pest!, `/api/rooms/${body.room.id}/members`, { json: { userId: me!.id } });
    const create = await call(pest!, "/api/rooms", { json: { kind: "private", name: "again", members: [me!.id] } });
    for (const refused of [dm, add, create]) {
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: "not_accepting", message: "This person is not accepting invitations or messages from you." });
    }
    // Nothing was made for the refused attempts, and nothing names who blocked whom.
    expect(await requestsOf(me!)).toEqual([]);
    expect((await call<{ users: { id: number }[] }>(me!, "/api/blocks")).body.users.map((u) => u.id)).toEqual([pest!.id]);
    expect((await call(pest!, "/api/blocks")).body).toEqual({ users: [] });
    // Others are not affected; unblocking lets the pest ask again.
    expect((await call(other!, "/api/dms", { json: { userIds: [me!.id] } })).status).toBeLessThan(300);
    expect((await call(me!, `/api/blocks/${pest!.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await call(pest!, "/api/dms", { json: { userIds: [me!.id] } })).status).toBeLessThan(300);
    expect((await call(me!, `/api/blocks/${me!.id}`, { method: "PUT" })).body.error).toBe("cannot_block_self");
  }, 60_000);

  test("decline and block in one step", async () => {
    const [me, pest] = await users(2);
    const { body } = await call<{ room: Room }>(pest!, "/api/dms", { json: { userIds: [me!.id] } });
    expect((await call(me!, `/api/requests/${body.room.id}/decline`, { method: "POST", json: { block: true } })).status).toBe(200);
    expect((await call(pest!, "/api/dms", { json: { userIds: [me!.id] } })).body.error).toBe("not_accepting");
  }, 60_000);
});

describe("hiding and leaving conversations", () => {
  test("a hidden DM leaves my list and comes back with its next message; a group DM can be left", async () => {
    const [me, friend, third] = await users(3);
    const opened = await call<{ room: Room }>(me!, "/api/dms", { json: { userIds: [friend!.id] } });
    const dmId = opened.body.room.id;
    expect((await call(friend!, `/api/requests/${dmId}/accept`, { method: "POST" })).status).toBe(200);
    expect((await call(me!, `/api/rooms/${dmId}/hide`, { method: "POST" })).status).toBe(200);
    expect((await roomsOf(me!)).map((r) => r.id)).not.toContain(dmId);
    expect((await call(friend!, `/api/rooms/${dmId}/messages`, { json: { clientId: uuid(), body: "still there?" } })).status).toBe(201);
    expect((await roomsOf(me!)).map((r) => r.id)).toContain(dmId);
    // A DM of two cannot be left (hide it instead); a group DM can.
    expect((await call(me!, `/api/rooms/${dmId}/leave`, { method: "POST" })).body.error).toBe("cannot_leave_dm");
    const group = await call<{ room: Room }>(me!, "/api/dms", { json: { userIds: [friend!.id, third!.id] } });
    expect((await call(me!, `/api/rooms/${group.body.room.id}/leave`, { method: "POST" })).status).toBe(200);
    expect((await roomsOf(me!)).map((r) => r.id)).not.toContain(group.body.room.id);
    // Only DMs can be hidden.
    const room = await call<{ room: Room }>(me!, "/api/rooms", { json: { kind: "public", name: "open" } });
    expect((await call(me!, `/api/rooms/${room.body.room.id}/hide`, { method: "POST" })).status).toBe(400);
  }, 60_000);
});

describe("an administrator removes someone from rooms in bulk", () => {
  test("lists their rooms and invitations and removes them; others may not", async () => {
    const [admin, victim, pest] = await users(3, {}).then(async ([a, ...rest]) => {
      await server.sql.run("UPDATE users SET is_admin = 1 WHERE id = ?", a!.id);
      return [a, ...rest];
    });
    const known = await call<{ room: Room }>(pest!, "/api/dms", { json: { userIds: [victim!.id] } });
    await call(victim!, `/api/requests/${known.body.room.id}/accept`, { method: "POST" });
    const rooms: number[] = [];
    for (let i = 0; i < 3; i++) rooms.push((await call<{ room: Room }>(pest!, "/api/rooms", { json: { kind: "private", name: `junk ${i}`, members: [victim!.id] } })).body.room.id);
    expect((await roomsOf(victim!)).filter((r) => r.kind === "private").length).toBe(3);
    expect((await call(pest!, `/api/admin/users/${victim!.id}/rooms`)).status).toBe(403);
    expect((await call(pest!, `/api/admin/users/${victim!.id}/rooms/remove`, { json: { roomIds: rooms } })).status).toBe(403);
    const listed = await call<{ rooms: { roomId?: number; id?: number }[] }>(admin!, `/api/admin/users/${victim!.id}/rooms`);
    expect(listed.status).toBe(200);
    expect(listed.body.rooms.length).toBeGreaterThanOrEqual(4);
    const removed = await call<{ removed: number }>(admin!, `/api/admin/users/${victim!.id}/rooms/remove`, { json: { roomIds: rooms } });
    expect(removed.body.removed).toBe(3);
    expect((await roomsOf(victim!)).filter((r) => r.kind === "private")).toEqual([]);
  }, 60_000);
});

describe("my invitations still waiting, in the room (issue 19)", () => {
  test("the inviter sees whom they asked until each answers; another member sees none of it, an outsider not even the room", async () => {
    const [owner, known, stranger, outsider] = (await users(4)) as [TestUser, TestUser, TestUser, TestUser];
    // The owner knows `known` already (a DM), so `known` is added at once; the stranger is asked.
    await call(owner, "/api/dms", { json: { userIds: [known!.id] } });
    await call(known!, "/api/requests/" + (await requestsOf(known!))[0]!.roomId + "/accept", { method: "POST" });
    const { room } = (await call<{ room: Room }>(owner, "/api/rooms", { json: { kind: "private", name: "plans", members: [known!.id, stranger!.id] } })).body;
    const asked = async (user: TestUser) => call<{ users: { id: number }[] }>(user, `/api/rooms/${room.id}/requests`);
    expect((await asked(owner)).body.users.map((u) => u.id)).toEqual([stranger!.id]);
    expect((await asked(known!)).body.users).toEqual([]);
    expect((await asked(outsider!)).status).toBe(404);
    await call(stranger!, `/api/requests/${room.id}/accept`, { method: "POST" });
    expect((await asked(owner)).body.users).toEqual([]);
  });
});
