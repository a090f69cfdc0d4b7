// Anyone may add anyone to a room, so one user's room list is capped: otherwise others could grow
// it (and the `ready` frame that carries it) without bound until that user's socket fails.
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
  test("cannot be added to a new room, an existing one or a new DM by someone else", async () => {
    const rooms = async () => (await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM rooms"))!.n;
    const before = await rooms();
    await refusedAsFull(await api(server, other, "/api/rooms", { json: { kind: "private", name: "spam", members: [full.id] } }));
    expect(await rooms()).toBe(before);
    const created = await api(server, other, "/api/rooms", { json: { kind: "private", name: "spam 2" } });
    const { room } = (await created.json()) as { room: { id: number } };
    await refusedAsFull(await api(server, other, `/api/rooms/${room.id}/members`, { json: { userId: full.id } }));
    await refusedAsFull(await api(server, other, "/api/dms", { json: { userIds: [full.id] } }));
  });

  test("cannot join or create another room until leaving one", async () => {
    await refusedAsFull(await api(server, full, `/api/rooms/${spare}/join`, { method: "POST" }));
    await refusedAsFull(await api(server, full, "/api/rooms", { json: { kind: "public", name: "mine" } }));
    const some = (await server.sql.get<{ id: number }>("SELECT room_id AS id FROM room_members WHERE user_id = ? LIMIT 1", full.id))!;
    expect((await api(server, full, `/api/rooms/${some.id}/leave`, { method: "POST" })).status).toBe(200);
    expect((await api(server, full, `/api/rooms/${spare}/join`, { method: "POST" })).status).toBe(200);
  });
});
