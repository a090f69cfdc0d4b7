import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer } from "../support/app.ts";
import { api, TestSocket, userWithSocket, uuid, type TestServer, acceptInvitation } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

async function roomWithTwo() {
  const alice = await userWithSocket(server);
  const bob = await userWithSocket(server);
  const res = await api(server, alice.user, "/api/rooms", { json: { kind: "private", name: "pair", members: [bob.user.id] } });
  const { room } = (await res.json()) as { room: { id: number } };
  await acceptInvitation(server, bob.user, room.id);
  return { alice, bob, roomId: room.id };
}

const countWhere = async (clientId: string) => (await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE client_id = ?", clientId))!.n;

describe("sending a message", () => {
  test("twice with the same clientId stores it once and acks the original both times", async () => {
    const { alice, bob, roomId } = await roomWithTwo();
    const clientId = uuid();
    const [first, second] = await Promise.all([
      alice.socket.post({ type: "message.post", roomId, clientId, body: "once" }),
      alice.socket.post({ type: "message.post", roomId, clientId, body: "once" }),
    ]);
    const third = await alice.socket.post({ type: "message.post", roomId, clientId, body: "once" });
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(third.duplicate).toBe(true);
    expect(second.message.id).toBe(first.message.id);
    expect(third.message).toEqual(first.message);
    expect(await countWhere(clientId)).toBe(1);
    await bob.socket.barrier();
    expect(bob.socket.of("message.created").filter((e) => e.message.clientId === clientId)).toHaveLength(1);
    // The same over HTTP, after a resend through the other transport.
    const http = await api(server, alice.user, `/api/rooms/${roomId}/messages`, { json: { clientId, body: "once" } });
    expect(http.status).toBe(200);
    expect(((await http.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await countWhere(clientId)).toBe(1);
  });

  test("is acked with its id and time only (the message reaches the sender as message.created); a duplicate's ack carries it", async () => {
    const { alice, roomId } = await roomWithTwo();
    const clientId = uuid();
    const ack = await alice.socket.request({ type: "message.post", roomId, clientId, body: "said once" });
    const created = await alice.socket.nextOf("message.created", (e) => e.message.clientId === clientId);
    expect(ack).toEqual({ type: "ack", requestId: expect.any(String), messageId: created.message.id, createdAt: created.message.createdAt, duplicate: false });
    // Every member gets this frame: it carries no field for what the message does not have (no
    // `editedAt: null`, no `deletedAt: null`, no `mentions: []`).
    expect(Object.keys(created.message).sort()).toEqual(["author", "body", "clientId", "createdAt", "id", "roomId"]);
    // The sender's copy came first, so the pending copy is replaced before the ack says "sent".
    expect(alice.socket.events.indexOf(created)).toBeLessThan(alice.socket.events.indexOf(ack));
    const again = await alice.socket.request({ type: "message.post", roomId, clientId, body: "said once" });
    expect(again).toEqual({ type: "ack", requestId: expect.any(String), messageId: created.message.id, createdAt: created.message.createdAt, duplicate: true, message: created.message });
  });

  test("is refused when empty, only whitespace or over 4000 characters, and stored exactly as typed otherwise", async () => {
    const { alice, roomId } = await roomWithTwo();
    for (const body of ["", "   \n ", "x".repeat(4001)]) {
      const answer = await alice.socket.request({ type: "message.post", roomId, clientId: uuid(), body });
      expect(answer).toMatchObject({ type: "error", code: "invalid_request" });
    }
    const typed = "  <b>bold?</b> & \u{1F600}\n" + "y".repeat(3970);
    const ok = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: typed });
    expect(ok.message.body).toBe(typed);
  });
});

describe("edits and deletions", () => {
  test("reach every member; only the author may edit; a deleted message's text is gone", async () => {
    const { alice, bob, roomId } = await roomWithTwo();
    const { message } = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "tpyo" });
    const edited = await alice.socket.ok({ type: "message.edit", messageId: message.id, body: "typo" });
    expect(edited.message.body).toBe("typo");
    expect(edited.message.editedAt).toBeGreaterThan(0);
    const update = await bob.socket.nextOf("message.updated", (e) => e.message.id === message.id);
    expect(update.message.body).toBe("typo");
    expect(await bob.socket.request({ type: "message.edit", messageId: message.id, body: "bob was here" })).toMatchObject({ code: "not_allowed" });
    expect(await bob.socket.request({ type: "message.delete", messageId: message.id })).toMatchObject({ code: "not_allowed" });

    await alice.socket.ok({ type: "message.delete", messageId: message.id });
    const deleted = await bob.socket.nextOf("message.deleted", (e) => e.messageId === message.id);
    expect(deleted).toMatchObject({ roomId, seq: update.seq + 1 });
    const row = (await server.sql.get<{ body: string; deletedAt: number }>(`SELECT body, deleted_at AS "deletedAt" FROM messages WHERE id = ?`, message.id))!;
    expect(row.body).toBe("");
    expect(row.deletedAt).toBeGreaterThan(0);
    const history = await bob.socket.ok({ type: "history", roomId });
    expect(history.messages.some((m) => m.id === message.id)).toBe(false);
    expect(await alice.socket.request({ type: "message.edit", messageId: message.id, body: "back?" })).toMatchObject({ code: "message_not_found" });
  });
});

describe("history", () => {
  test("pages newest first with a before cursor, over the socket and HTTP alike", async () => {
    const { alice, roomId } = await roomWithTwo();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: `m${i}` })).message.id);
    const first = await alice.socket.ok({ type: "history", roomId, limit: 3 });
    expect(first.messages.map((m) => m.id)).toEqual(ids.slice(4, 7).reverse());
    expect(first.hasMore).toBe(true);
    const res = await api(server, alice.user, `/api/rooms/${roomId}/messages?before=${ids[4]}&limit=3`);
    const second = (await res.json()) as { messages: { id: number }[]; hasMore: boolean };
    expect(second.messages.map((m) => m.id)).toEqual(ids.slice(1, 4).reverse());
    const last = await alice.socket.ok({ type: "history", roomId, before: ids[1]!, limit: 3 });
    // Before the first post: bob's joining, a system line (issue 11).
    expect(last.messages.map((m) => (m.event ? m.event.kind : m.id))).toEqual([ids[0]!, "joined"]);
    expect(last.hasMore).toBe(false);
    const tooMany = await api(server, alice.user, `/api/rooms/${roomId}/messages?limit=101`);
    expect(tooMany.status).toBe(400);
  });
});

describe("reconnecting", () => {
  test("a client that drops and syncs gets exactly the messages it missed, in order, and the edits and deletions", async () => {
    const { alice, bob, roomId } = await roomWithTwo();
    const before = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "before the drop" });
    const old = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "will be edited" });
    const doomed = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "will be deleted" });
    await bob.socket.nextOf("message.created", (e) => e.message.id === doomed.message.id);
    const lastSeen = doomed.message.id;
    const since = bob.socket.ready.changeSeq;
    bob.socket.close();
    await bob.socket.closed;

    const missed: number[] = [];
    for (let i = 0; i < 5; i++) missed.push((await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: `missed ${i}` })).message.id);
    const created = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "gone before seen" });
    await alice.socket.ok({ type: "message.delete", messageId: created.message.id });
    await alice.socket.ok({ type: "message.edit", messageId: old.message.id, body: "edited while away" });
    await alice.socket.ok({ type: "message.delete", messageId: doomed.message.id });

    const back = await TestSocket.connect(server, bob.user.cookie);
    const synced = await back.ok({ type: "sync", rooms: [{ roomId, lastId: lastSeen }], since });
    expect(synced.rooms).toHaveLength(1);
    expect(synced.rooms[0]!.messages.map((m) => m.id)).toEqual(missed);
    expect(synced.rooms[0]!.hasMore).toBe(false);
    expect(synced.changes.map((m) => [m.id, m.body, m.deletedAt !== undefined])).toEqual([
      [old.message.id, "edited while away", false],
      [doomed.message.id, "", true],
    ]);
    expect(synced.changes.some((m) => m.id === before.message.id)).toBe(false);
    // Synced up to now: a second sync from the new cursor brings nothing.
    const again = await back.ok({ type: "sync", rooms: [{ roomId, lastId: missed.at(-1)! }], since: synced.changeSeq });
    expect(again.rooms[0]!.messages).toEqual([]);
    expect(again.changes).toEqual([]);
  });
});

describe("reconnecting after a long absence", () => {
  test("sync pages through hundreds of missed messages, each exactly once, in order", async () => {
    const { alice, bob, roomId } = await roomWithTwo();
    const lastSeen = (await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "last seen" })).message.id;
    bob.socket.close();
    // Written straight to the database: far more than the rate limit lets one person post at once.
    const insert = async (i: number) =>
      (
        await server.sql.write<{ id: number }>(
          "INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
          roomId,
          alice.user.id,
          uuid(),
          `while away ${i}`,
          Date.now(),
        )
      )[0]!.id;
    // Submitted together: one group commit, inserted in this order.
    const missed = await Promise.all(Array.from({ length: 450 }, (_, i) => insert(i)));
    const back = await TestSocket.connect(server, bob.user.cookie);
    const got: number[] = [];
    let lastId = lastSeen;
    for (;;) {
      const synced = await back.ok({ type: "sync", rooms: [{ roomId, lastId }] });
      const room = synced.rooms[0]!;
      got.push(...room.messages.map((m) => m.id));
      if (!room.hasMore) break;
      lastId = room.messages.at(-1)!.id;
    }
    expect(got).toEqual(missed);
    back.close();
  });
});

describe("read state", () => {
  test("unread counts come with the room list and read.mark clears them on all my devices", async () => {
    const { alice, bob, roomId } = await roomWithTwo();
    let lastId = 0;
    for (let i = 0; i < 3; i++) lastId = (await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: `u${i}` })).message.id;
    const list = (await (await api(server, bob.user, "/api/rooms")).json()) as { rooms: { id: number; unread: number; lastMessageId: number }[] };
    expect(list.rooms.find((r) => r.id === roomId)).toMatchObject({ unread: 3, lastMessageId: lastId });
    const aliceView = (await (await api(server, alice.user, "/api/rooms")).json()) as { rooms: { id: number; unread: number }[] };
    expect(aliceView.rooms.find((r) => r.id === roomId)!.unread).toBe(0);

    const secondTab = await TestSocket.connect(server, bob.user.cookie);
    const state = await bob.socket.ok({ type: "read.mark", roomId, messageId: lastId + 1000 });
    expect(state).toMatchObject({ roomId, lastReadId: lastId, unread: 0 });
    const elsewhere = await secondTab.nextOf("read.updated", (e) => e.roomId === roomId);
    expect(elsewhere).toMatchObject({ lastReadId: lastId, unread: 0 });
    // Never backwards.
    const back = await bob.socket.ok({ type: "read.mark", roomId, messageId: 1 });
    expect(back.lastReadId).toBe(lastId);
    secondTab.close();
  });
});
