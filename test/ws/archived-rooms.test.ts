// An archived room is read-only for everyone but admins, whichever way a write arrives: posting,
// editing, deleting, sharing a file, inviting, renaming. Each refusal leaves everything as it was.
// (A mutation pass — scripts/mutate.ts — found these checks untested: removing any one passed.)
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { acceptInvitation, api, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

const count = async (sql: string, ...params: (number | string)[]) => (await server.sql.get<{ n: number }>(sql, ...params))!.n;

async function archivedRoom() {
  const owner = await userWithSocket(server);
  const member = await userWithSocket(server);
  const outsider = await userWithSocket(server);
  const made = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "old project", members: [member.user.id] } });
  const roomId = ((await made.json()) as { room: { id: number } }).room.id;
  await acceptInvitation(server, member.user, roomId);
  const mine = await member.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "before the archive" });
  const archived = await api(server, owner.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { archived: true } });
  expect(archived.status).toBe(200);
  return { owner, member, outsider, roomId, messageId: mine.message.id };
}

test("in an archived room a member can neither post, edit nor delete, and the message stays as it was", async () => {
  const { member, roomId, messageId } = await archivedRoom();
  const before = await count("SELECT count(*) AS n FROM messages WHERE room_id = ?", roomId);
  expect(await member.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "after" })).toMatchObject({ type: "error", code: "room_archived" });
  expect(await member.socket.request({ type: "message.edit", messageId, body: "changed" })).toMatchObject({ type: "error", code: "room_archived" });
  expect(await member.socket.request({ type: "message.delete", messageId })).toMatchObject({ type: "error", code: "room_archived" });
  const upload = await api(server, member.user, `/api/rooms/${roomId}/files?name=a.txt&clientId=${uuid()}`, { method: "POST" });
  expect(upload.status).toBe(409);
  expect(((await upload.json()) as { error: string }).error).toBe("room_archived");
  expect(await count("SELECT count(*) AS n FROM messages WHERE room_id = ?", roomId)).toBe(before);
  const row = await server.sql.get<{ body: string; deleted: number | null }>("SELECT body, deleted_at AS deleted FROM messages WHERE id = ?", messageId);
  expect(row).toEqual({ body: "before the archive", deleted: null });
});

test("an archived room's owner can neither invite nor rename it, only bring it back", async () => {
  const { owner, outsider, roomId } = await archivedRoom();
  const invite = await api(server, owner.user, `/api/rooms/${roomId}/members`, { json: { userId: outsider.user.id } });
  expect(((await invite.json()) as { error: string }).error).toBe("room_archived");
  expect(await count("SELECT count(*) AS n FROM room_members WHERE room_id = ? AND user_id = ?", roomId, outsider.user.id)).toBe(0);
  const rename = await api(server, owner.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { name: "new name" } });
  expect(((await rename.json()) as { error: string }).error).toBe("room_archived");
  expect((await server.sql.get<{ name: string }>("SELECT name FROM rooms WHERE id = ?", roomId))!.name).toBe("old project");
  const restored = await api(server, owner.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { archived: false, name: "new name" } });
  expect(restored.status).toBe(200);
  expect((await server.sql.get<{ name: string }>("SELECT name FROM rooms WHERE id = ?", roomId))!.name).toBe("new name");
});

test("a clientId already used in one room is refused in another, and nothing is stored there", async () => {
  const alice = await userWithSocket(server);
  const rooms: number[] = [];
  for (const name of ["first", "second"]) {
    const made = await api(server, alice.user, "/api/rooms", { json: { kind: "private", name } });
    rooms.push(((await made.json()) as { room: { id: number } }).room.id);
  }
  const clientId = uuid();
  await alice.socket.post({ type: "message.post", roomId: rooms[0]!, clientId, body: "here" });
  expect(await alice.socket.request({ type: "message.post", roomId: rooms[1]!, clientId, body: "there" })).toMatchObject({
    type: "error",
    code: "client_id_reused",
  });
  expect(await count("SELECT count(*) AS n FROM messages WHERE room_id = ?", rooms[1]!)).toBe(0);
});
