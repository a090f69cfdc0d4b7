// Deleting an account takes it out of every room like leaving does: the others are told at once, and
// a room it owned keeps an owner (its longest-standing member), so it stays manageable.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { api, userWithSocket, type TestServer, acceptInvitation } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

describe("when a room's owner deletes their account", () => {
  test("the members hear that the owner left, and the eldest member becomes the owner", async () => {
    const owner = await userWithSocket(server);
    const friend = await userWithSocket(server);
    const late = await userWithSocket(server);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "book club", members: [friend.user.id] } });
    const { room } = (await res.json()) as { room: { id: number } };
    await acceptInvitation(server, friend.user, room.id);
    await api(server, owner.user, `/api/rooms/${room.id}/members`, { json: { userId: late.user.id } });
    await acceptInvitation(server, late.user, room.id);

    const deleted = await api(server, owner.user, "/api/account", { method: "DELETE", json: { password: "correct horse battery staple" } });
    expect(deleted.status).toBe(204);

    const left = await friend.socket.nextOf("member.left", (e) => e.roomId === room.id);
    expect(left).toMatchObject({ roomId: room.id, userId: owner.user.id });
    await late.socket.nextOf("member.left", (e) => e.roomId === room.id && e.userId === owner.user.id);

    const members = (await (await api(server, friend.user, `/api/rooms/${room.id}/members`)).json()) as { members: { id: number; role: string }[] };
    expect(members.members.map((m) => m.id).sort()).toEqual([friend.user.id, late.user.id].sort());
    expect(members.members.find((m) => m.id === friend.user.id)?.role).toBe("owner");
    // The new owner can manage the private room: invite someone (a stranger to them: asked first).
    const newcomer = await createTestUser(server.deps);
    const invited = await api(server, friend.user, `/api/rooms/${room.id}/members`, { json: { userId: newcomer.id } });
    expect(invited.status).toBe(202);
  });
});
