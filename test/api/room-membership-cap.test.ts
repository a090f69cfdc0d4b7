// A user's own room list is capped (the `ready` frame carries it), and only rooms they chose count:
// others cannot fill it for them. A stranger's room, invitation or DM arrives as a request, and
// accepting one is a choice like joining (issue 21 §4).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_ROOMS_PER_USER } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { fillRooms } from "../support/commands.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { api, type TestServer } from "../ws/client.ts";

let server: TestServer;
let full: TestUser;
let other: TestUser;
let spare: number;

beforeAll(async () => {
  server = await startTestServer();
  full = await createTestUser(server.deps);
  other = await createTestUser(server.deps);
  spare = await server.store.write(fillRooms, { userId: full.id, count: MAX_ROOMS_PER_USER });
}, 30_000);
afterAll(() => server.stop());

const refusedAsFull = async (response: Response) => {
  expect(response.status).toBe(409);
  expect(((await response.json()) as { error: string }).error).toBe("too_many_rooms");
};

describe(`a user already in ${MAX_ROOMS_PER_USER} rooms`, () => {
  test("is still invited by others: a new room, an existing one or a new DM arrive as requests, not rooms", async () => {
    const memberships = async () => (await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM room_members WHERE user_id = ?", full.id))!.n;
    const before = await memberships();
    const created = await api(server, other, "/api/rooms", { json: { kind: "private", name: "spam", members: [full.id] } });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { requested: number[] }).requested).toEqual([full.id]);
    const empty = await api(server, other, "/api/rooms", { json: { kind: "private", name: "spam 2" } });
    const { room } = (await empty.json()) as { room: { id: number } };
    expect((await api(server, other, `/api/rooms/${room.id}/members`, { json: { userId: full.id } })).status).toBe(202);
    expect((await api(server, other, "/api/dms", { json: { userIds: [full.id] } })).status).toBeLessThan(300);
    expect(await memberships()).toBe(before);
    const { requests } = (await (await api(server, full, "/api/requests")).json()) as { requests: unknown[] };
    expect(requests).toHaveLength(3);
    // Accepting one is choosing a room: refused while full.
    await refusedAsFull(await api(server, full, `/api/requests/${room.id}/accept`, { method: "POST" }));
  });

  test("cannot join or create another room until leaving one", async () => {
    await refusedAsFull(await api(server, full, `/api/rooms/${spare}/join`, { method: "POST" }));
    await refusedAsFull(await api(server, full, "/api/rooms", { json: { kind: "public", name: "mine" } }));
    const some = (await server.sql.get<{ id: number }>("SELECT room_id AS id FROM room_members WHERE user_id = ? LIMIT 1", full.id))!;
    expect((await api(server, full, `/api/rooms/${some.id}/leave`, { method: "POST" })).status).toBe(200);
    expect((await api(server, full, `/api/rooms/${spare}/join`, { method: "POST" })).status).toBe(200);
  });
});
