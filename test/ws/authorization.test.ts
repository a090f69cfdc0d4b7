// Privacy: someone outside a private room or a DM learns nothing about it, whatever ids they guess,
// over HTTP and the socket alike, and gets the same answer as for a room that does not exist.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MessagePost } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid, type TestServer, acceptInvitation } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

async function privateSetup() {
  const owner = await userWithSocket(server);
  const friend = await userWithSocket(server);
  const outsider = await userWithSocket(server);
  const res = await api(server, owner.user, "/api/rooms", { json: { kind: "private", name: "secret plans", members: [friend.user.id] } });
  const { room } = (await res.json()) as { room: { id: number } };
  await acceptInvitation(server, friend.user, room.id);
  const dmRes = await api(server, owner.user, "/api/dms", { json: { userIds: [friend.user.id] } });
  const dm = ((await dmRes.json()) as { room: { id: number } }).room;
  const said = await owner.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "the plan" });
  const whispered = await owner.socket.post({ type: "message.post", roomId: dm.id, clientId: uuid(), body: "a whisper" });
  return { owner, friend, outsider, roomId: room.id, dmId: dm.id, messageIds: [said.message.id, whispered.message.id] };
}

describe("a non-member of a private room or DM", () => {
  test("cannot read its history over HTTP: the answer is the one for a room that does not exist", async () => {
    const { outsider, roomId, dmId } = await privateSetup();
    const missing = await api(server, outsider.user, "/api/rooms/999999/messages");
    const missingBody = await missing.json();
    expect(missing.status).toBe(404);
    for (const id of [roomId, dmId]) {
      for (const path of [`/api/rooms/${id}/messages`, `/api/rooms/${id}`, `/api/rooms/${id}/members`]) {
        const res = await api(server, outsider.user, path);
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual(path.endsWith("/messages") ? missingBody : { error: "room_not_found", message: expect.any(String) });
      }
      const join = await api(server, outsider.user, `/api/rooms/${id}/join`, { method: "POST" });
      expect(join.status).toBe(404);
    }
  });

  test("cannot read history, join, post, mark read, type or sync over the socket, under any guessed id", async () => {
    const { owner, outsider, roomId, dmId } = await privateSetup();
    const guesses = [roomId, dmId, roomId + 1000];
    for (const id of guesses) {
      for (const request of [
        { type: "history", roomId: id } as const,
        { type: "room.join", roomId: id } as const,
        { type: "message.post", roomId: id, clientId: uuid(), body: "let me in" } as const,
        { type: "read.mark", roomId: id, messageId: 1 } as const,
        { type: "typing.start", roomId: id } as const,
      ]) {
        const answer = await outsider.socket.request(request);
        expect(answer).toMatchObject({ type: "error", code: "room_not_found", message: "This room does not exist, or you are not a member of it." });
      }
    }
    const synced = await outsider.socket.ok({ type: "sync", rooms: guesses.map((id) => ({ roomId: id, lastId: 0 })), since: 0 });
    expect(synced.rooms).toEqual([]);
    expect(synced.changes).toEqual([]);
    const rows = (await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE body = 'let me in'"))!;
    expect(rows.n).toBe(0);
    // Nothing said or done in there reached the outsider's socket.
    await owner.socket.ok({ type: "typing.start", roomId });
    await owner.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "still secret" });
    await outsider.socket.barrier();
    expect(outsider.socket.of("message.created")).toEqual([]);
    expect(outsider.socket.of("typing")).toEqual([]);
  });

  test("cannot edit or delete its messages, and learns nothing from the error", async () => {
    const { outsider, messageIds } = await privateSetup();
    for (const messageId of [...messageIds, 987654]) {
      const edit = await outsider.socket.request({ type: "message.edit", messageId, body: "mine now" });
      const del = await outsider.socket.request({ type: "message.delete", messageId });
      expect(edit).toMatchObject({ code: "message_not_found" });
      expect(del).toMatchObject({ code: "message_not_found" });
      const http = await api(server, outsider.user, `/api/messages/${messageId}`, { method: "DELETE" });
      expect(http.status).toBe(404);
    }
  });

  test("does not learn who is in it; presence is server-wide and says nothing about rooms", async () => {
    const { friend, outsider, owner, roomId } = await privateSetup();
    await owner.socket.nextOf("presence.changed", (e) => e.online.includes(friend.user.id));
    friend.socket.close();
    await friend.socket.closed;
    // Online/offline is announced to every socket, as GET /api/presence shows it to anyone logged in:
    // the owner and the outsider hear the same frame, which names no room.
    const offline = await owner.socket.nextOf("presence.changed", (e) => e.offline.includes(friend.user.id));
    const seen = await outsider.socket.nextOf("presence.changed", (e) => e.offline.includes(friend.user.id));
    expect(seen).toEqual(offline);
    expect(Object.keys(seen).sort()).toEqual(["offline", "online", "type"]);
    const members = await api(server, outsider.user, `/api/rooms/${roomId}/members`);
    expect(members.status).toBe(404);
  }, 15_000);

  test("is unsubscribed the moment they are removed, and cannot come back with the old id", async () => {
    const { owner, friend, roomId } = await privateSetup();
    const removed = await api(server, owner.user, `/api/rooms/${roomId}/members/${friend.user.id}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    await friend.socket.nextOf("room.removed", (e) => e.roomId === roomId && e.reason === "removed");
    await owner.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "after you left" });
    await friend.socket.barrier();
    expect(friend.socket.of("message.created").some((e) => e.message.body === "after you left")).toBe(false);
    expect(await friend.socket.request({ type: "history", roomId })).toMatchObject({ code: "room_not_found" });
    expect(await friend.socket.request({ type: "room.join", roomId })).toMatchObject({ code: "room_not_found" });
  });
});

describe("the author of a message", () => {
  test("is always the session's user: a forged author field is ignored", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const res = await api(server, alice.user, "/api/rooms", { json: { kind: "public", name: "forgery", members: [bob.user.id] } });
    const { room } = (await res.json()) as { room: { id: number } };
    await acceptInvitation(server, bob.user, room.id);
    const answer = await alice.socket.post({
      type: "message.post",
      roomId: room.id,
      clientId: uuid(),
      body: "I am alice",
      author: { id: bob.user.id, username: bob.user.username },
      authorId: bob.user.id,
      id: 1,
      createdAt: 0,
    } as unknown as MessagePost);
    expect(answer.message.author.id).toBe(alice.user.id);
    expect(answer.message.createdAt).toBeGreaterThan(0);
    const stored = (await server.sql.get<{ authorId: number }>(`SELECT author_id AS "authorId" FROM messages WHERE id = ?`, answer.message.id))!;
    expect(stored.authorId).toBe(alice.user.id);
    const seen = await bob.socket.nextOf("message.created", (e) => e.message.id === answer.message.id);
    expect(seen.message.author.id).toBe(alice.user.id);
  });
});
