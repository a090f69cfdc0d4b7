// Membership changes reach sockets at once: a new member's open tabs start receiving the room; a
// member who leaves stops receiving it; everyone sees joins, leaves, renames and archiving.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { api, TestSocket, userWithSocket, uuid, type TestServer, acceptInvitation } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

describe("room events", () => {
  test("an invited stranger's open tabs are asked, and once accepted are subscribed at once and told about the room", async () => {
    const owner = await userWithSocket(server);
    const guest = await userWithSocket(server);
    const guestTab2 = await TestSocket.connect(server, guest.user.cookie);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "inner circle" } });
    const { room } = (await res.json()) as { room: { id: number } };
    const invite = await api(server, owner.user, `/api/rooms/${room.id}/members`, { json: { userId: guest.user.id } });
    // They have never talked: the guest is asked first (issue 21 §4), on every open tab.
    expect(invite.status).toBe(202);
    for (const tab of [guest.socket, guestTab2]) {
      const asked = await tab.nextOf("request.added", (e) => e.request.roomId === room.id);
      expect(asked.request).toMatchObject({ name: "inner circle", kind: "private", invitedBy: { id: owner.user.id }, memberCount: 1 });
    }
    expect(guest.socket.of("room.added").some((e) => e.room.id === room.id)).toBe(false);
    expect((await api(server, guest.user, `/api/requests/${room.id}/accept`, { method: "POST" })).status).toBe(200);
    for (const tab of [guest.socket, guestTab2]) {
      await tab.nextOf("request.removed", (e) => e.roomId === room.id && e.reason === "accepted");
      const added = await tab.nextOf("room.added", (e) => e.room.id === room.id);
      expect(added.room).toMatchObject({ name: "inner circle", role: "member", kind: "private" });
    }
    const joined = await owner.socket.nextOf("member.joined", (e) => e.roomId === room.id);
    expect(joined.member).toMatchObject({ id: guest.user.id, role: "member" });
    // Whether the newcomer is online comes from presence, not from the join (which is durable and
    // may be delivered on any node): the members list says so.
    expect(joined.member).not.toHaveProperty("online");
    const members = (await (await api(server, owner.user, `/api/rooms/${room.id}/members`)).json()) as { members: { id: number; online: boolean }[] };
    expect(members.members.find((m) => m.id === guest.user.id)).toMatchObject({ online: true });
    const { message } = await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "welcome" });
    await guest.socket.nextOf("message.created", (e) => e.message.id === message.id);
    await guestTab2.nextOf("message.created", (e) => e.message.id === message.id);
    guestTab2.close();
  });

  test("leaving over the socket stops the room's events and tells the others", async () => {
    const owner = await userWithSocket(server);
    const walker = await userWithSocket(server);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "public", name: "lobby" } });
    const { room } = (await res.json()) as { room: { id: number } };
    await walker.socket.ok({ type: "room.join", roomId: room.id });
    await owner.socket.nextOf("member.joined", (e) => e.member.id === walker.user.id);
    expect(await walker.socket.ok({ type: "room.leave", roomId: room.id })).toMatchObject({ roomId: room.id });
    await walker.socket.nextOf("room.removed", (e) => e.roomId === room.id && e.reason === "left");
    await owner.socket.nextOf("member.left", (e) => e.userId === walker.user.id && e.reason === "left");
    await owner.socket.ok({ type: "typing.start", roomId: room.id });
    await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "gone?" });
    await walker.socket.barrier();
    // Only the system line of their own join, from before they left: not theirs leaving, not the message.
    expect(walker.socket.of("message.created").map((e) => e.message.event?.kind ?? e.message.body)).toEqual(["joined"]);
    expect(walker.socket.of("typing")).toEqual([]);
  });

  test("renaming and archiving are announced to the members", async () => {
    const owner = await userWithSocket(server);
    const member = await userWithSocket(server);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "old name", members: [member.user.id] } });
    const { room } = (await res.json()) as { room: { id: number } };
    await acceptInvitation(server, member.user, room.id);
    await api(server, owner.user, `/api/rooms/${room.id}`, { method: "PATCH", json: { name: "new name", topic: "fresh" } });
    const renamed = await member.socket.nextOf("room.updated", (e) => e.room.id === room.id);
    expect(renamed.room).toEqual({ id: room.id, kind: "private", name: "new name", topic: "fresh", archivedAt: null, pinPolicy: "members" });
    await api(server, owner.user, `/api/rooms/${room.id}`, { method: "PATCH", json: { archived: true } });
    const archived = await member.socket.nextOf("room.updated", (e) => e.room.id === room.id && e.room.archivedAt !== null);
    expect(archived.room.name).toBe("new name");
    expect(await member.socket.request({ type: "message.post", roomId: room.id, clientId: uuid(), body: "hello?" })).toMatchObject({
      code: "room_archived",
    });
  });

  test("a new socket's ready lists my rooms with unread counts, and subscribes it to them", async () => {
    const owner = await userWithSocket(server);
    const member = await userWithSocket(server);
    const res = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "ready", members: [member.user.id] } });
    const { room } = (await res.json()) as { room: { id: number } };
    await acceptInvitation(server, member.user, room.id);
    await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "one" });
    await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "two" });
    const fresh = await TestSocket.connect(server, member.user.cookie);
    expect(fresh.ready.rooms.find((r) => r.id === room.id)).toMatchObject({ unread: 2, name: "ready" });
    const { message } = await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "three" });
    await fresh.nextOf("message.created", (e) => e.message.id === message.id);
    fresh.close();
  });
});
