// Threads over the socket and HTTP: a reply is one frame to the room carrying its root's summary, is
// kept out of the room's timeline unless also sent there, never nests, is stored once per clientId,
// and is refused (with nothing written) for a root anyone but a member of the root's room names.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { FollowedThread, HistoryPage, Message, ThreadReadState } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, TestSocket, uuid, type TestServer } from "./client.ts";
import { fingerprint, people, post, roomOf } from "./conversation-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

describe("a reply in a thread", () => {
  test("reaches the room in one frame with the root's summary, stays out of the timeline, and is read in the thread", async () => {
    const [alice, bob, carol] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!, carol!]);
    const root = await post(alice!, roomId, "Lunch at noon?");
    const after = await post(alice!, roomId, "(a message after the root)");
    const reply = await post(bob!, roomId, "Yes!", { threadRootId: root.id });
    expect(reply).toMatchObject({ threadRootId: root.id, roomId, body: "Yes!" });
    expect(reply.alsoToRoom).toBeUndefined();

    const live = await carol!.socket.nextOf("message.created", (e) => e.message.id === reply.id);
    expect(live.thread).toMatchObject({ replyCount: 1, lastReplyId: reply.id, participants: [{ id: bob!.user.id }] });
    expect(live.seq).toBeGreaterThan(0);
    // No second frame for the same reply.
    await carol!.socket.barrier();
    expect(carol!.socket.of("thread.updated")).toEqual([]);

    const second = await post(carol!, roomId, "Me too", { threadRootId: root.id });
    const third = await post(bob!, roomId, "See you", { threadRootId: root.id });
    const summary = (await alice!.socket.nextOf("message.created", (e) => e.message.id === third.id)).thread!;
    // The most recent repliers first, each once.
    expect(summary.participants.map((p) => p.id)).toEqual([bob!.user.id, carol!.user.id]);
    expect(summary.replyCount).toBe(3);

    // (The members' "joined" lines, from accepting their invitations, are left aside.)
    const timeline = await alice!.socket.ok({ type: "history", roomId });
    expect(timeline.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([after.id, root.id]);
    expect(timeline.messages[1]!.thread).toMatchObject({ replyCount: 3, lastReplyId: third.id });
    const thread = await alice!.socket.ok({ type: "history", roomId, threadRootId: root.id });
    expect(thread.messages.map((m) => m.id)).toEqual([third.id, second.id, reply.id]);
    expect(thread.root).toMatchObject({ id: root.id, body: "Lunch at noon?" });
    // The same over HTTP.
    const http = (await (await api(server, bob!.user, `/api/rooms/${roomId}/messages?thread=${root.id}&limit=2`)).json()) as HistoryPage;
    expect(http.messages.map((m) => m.id)).toEqual([third.id, second.id]);
    expect(http.hasMore).toBe(true);
  });

  test("also sent to the room appears in the timeline too, and a reply to a reply joins the same root", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "Release plan");
    const loud = await post(bob!, roomId, "Shipping Friday", { threadRootId: root.id, alsoToRoom: true });
    expect(loud.alsoToRoom).toBe(true);
    const nested = await post(alice!, roomId, "Answering the answer", { threadRootId: loud.id });
    expect(nested.threadRootId).toBe(root.id);
    const timeline = await alice!.socket.ok({ type: "history", roomId });
    expect(timeline.messages.filter((m) => !m.event).map((m) => m.id)).toEqual([loud.id, root.id]);
    const thread = await alice!.socket.ok({ type: "history", roomId, threadRootId: root.id });
    expect(thread.messages.map((m) => m.id)).toEqual([nested.id, loud.id]);
    // A reply cannot be a thread's root: asking for its thread is not found.
    expect(await alice!.socket.request({ type: "history", roomId, threadRootId: loud.id })).toMatchObject({ code: "message_not_found" });
  });

  test("resent with the same clientId is stored and counted once, over the socket and HTTP", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "Count me once");
    const clientId = uuid();
    const frame = { type: "message.post" as const, roomId, clientId, body: "once", threadRootId: root.id };
    const [first, again] = await Promise.all([bob!.socket.ok(frame), bob!.socket.ok(frame)]);
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, messageId: first.messageId, message: { id: first.messageId, threadRootId: root.id } });
    const http = await api(server, bob!.user, `/api/rooms/${roomId}/messages`, { json: { clientId, body: "once", threadRootId: root.id } });
    expect(http.status).toBe(200);
    const row = await server.sql.get<{ replyCount: number }>(`SELECT reply_count AS "replyCount" FROM messages WHERE id = ?`, root.id);
    expect(row!.replyCount).toBe(1);
    expect((await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE client_id = ?", clientId))!.n).toBe(1);
    // A fresh reply over HTTP is a 201 with the thread set.
    const fresh = await api(server, alice!.user, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "over HTTP", threadRootId: root.id } });
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as { message: Message }).message.threadRootId).toBe(root.id);
  });

  test("naming a root from another room, a missing root, or one in a room I left or was removed from is not found, and writes nothing", async () => {
    const [alice, bob, mallory] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!, mallory!]);
    const otherRoom = await roomOf(server, mallory!, [], "private");
    const elsewhere = await post(mallory!, otherRoom, "my own room");
    const root = await post(alice!, roomId, "Members only");
    const strangerRoom = await roomOf(server, alice!, []);
    const hidden = await post(alice!, strangerRoom, "Mallory is not in here");
    const before = await fingerprint(server);

    // A root of another room, posted into this one: not found (the other room is one Mallory is in).
    expect(await mallory!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "x", threadRootId: elsewhere.id })).toMatchObject({
      code: "message_not_found",
    });
    // A root of a room I am not in: not found, like a root that does not exist.
    const notMine = await mallory!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "x", threadRootId: hidden.id });
    const missing = await mallory!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "x", threadRootId: hidden.id + 10_000 });
    expect(notMine).toMatchObject({ code: "message_not_found" });
    expect({ ...missing, requestId: undefined }).toEqual({ ...notMine, requestId: undefined });
    // Posting into a room I am not in with a root from it: the room is not found.
    expect(await mallory!.socket.request({ type: "message.post", roomId: strangerRoom, clientId: uuid(), body: "x", threadRootId: hidden.id })).toMatchObject({
      code: "room_not_found",
    });
    const http = await api(server, mallory!.user, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "x", threadRootId: hidden.id } });
    expect(http.status).toBe(404);
    expect(((await http.json()) as { error: string }).error).toBe("message_not_found");

    // Removed by the owner: Mallory can no longer reply in the thread she could see.
    expect((await api(server, alice!.user, `/api/rooms/${roomId}/members/${mallory!.user.id}`, { method: "DELETE" })).status).toBe(200);
    const afterRemoval = await fingerprint(server);
    expect(await mallory!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "x", threadRootId: root.id })).toMatchObject({
      code: "room_not_found",
    });
    expect(await mallory!.socket.request({ type: "history", roomId, threadRootId: root.id })).toMatchObject({ code: "room_not_found" });
    expect(await mallory!.socket.request({ type: "thread.read", threadRootId: root.id })).toMatchObject({ code: "message_not_found" });
    expect(await fingerprint(server)).toEqual(afterRemoval);
    // Before the removal, only the removal's own system line was written.
    expect((afterRemoval as { messages: unknown[] }).messages.length).toBe((before as { messages: unknown[] }).messages.length + 1);

    // Left of her own accord: the same.
    const [dave] = await people(server, 1);
    const publicRoom = await roomOf(server, alice!, [dave!], "public");
    const publicRoot = await post(alice!, publicRoom, "Public root");
    await dave!.socket.ok({ type: "room.leave", roomId: publicRoom });
    const afterLeaving = await fingerprint(server);
    expect(await dave!.socket.request({ type: "message.post", roomId: publicRoom, clientId: uuid(), body: "x", threadRootId: publicRoot.id })).toMatchObject({
      code: "room_not_found",
    });
    expect(await fingerprint(server)).toEqual(afterLeaving);
  });

  test("deleting a reply updates the summary; deleting a root with replies leaves a placeholder the thread reads under", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "Will be deleted");
    const first = await post(bob!, roomId, "first", { threadRootId: root.id });
    const second = await post(bob!, roomId, "second", { threadRootId: root.id });
    await bob!.socket.ok({ type: "message.delete", messageId: second.id });
    const updated = await alice!.socket.nextOf("thread.updated", (e) => e.rootId === root.id && "thread" in e);
    expect("thread" in updated && updated.thread).toMatchObject({ replyCount: 1, lastReplyId: first.id });

    await alice!.socket.ok({ type: "message.delete", messageId: root.id });
    const timeline = await bob!.socket.ok({ type: "history", roomId });
    const placeholder = timeline.messages.find((m) => m.id === root.id)!;
    expect(placeholder).toMatchObject({ body: "", thread: { replyCount: 1 } });
    expect(placeholder.deletedAt).toBeGreaterThan(0);
    const thread = await bob!.socket.ok({ type: "history", roomId, threadRootId: root.id });
    expect(thread.messages.map((m) => m.body)).toEqual(["first"]);
    // The deleted root takes no more replies.
    expect(await bob!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "late", threadRootId: root.id })).toMatchObject({
      code: "message_not_found",
    });
    // Once its last reply goes too, nothing of it is shown.
    await bob!.socket.ok({ type: "message.delete", messageId: first.id });
    const empty = await bob!.socket.ok({ type: "history", roomId });
    expect(empty.messages.some((m) => m.id === root.id)).toBe(false);
  });
});

describe("following threads", () => {
  test("the root's author and the repliers follow; unread counts cover replies; thread.read clears them on all my devices", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "Who follows?");
    await post(bob!, roomId, "r1", { threadRootId: root.id });
    const r2 = await post(bob!, roomId, "r2", { threadRootId: root.id });
    const list = async (who: typeof alice) => ((await (await api(server, who!.user, "/api/threads")).json()) as { threads: FollowedThread[] }).threads;
    const mine = (await list(alice)).find((t) => t.rootId === root.id)!;
    expect(mine).toMatchObject({ roomId, unread: 2, lastReadId: 0, root: { id: root.id, thread: { replyCount: 2 } } });
    expect((await list(bob)).find((t) => t.rootId === root.id)).toMatchObject({ unread: 0, lastReadId: r2.id });
    // The room's own unread count is not moved by thread-only replies.
    const rooms = (await (await api(server, alice!.user, "/api/rooms")).json()) as { rooms: { id: number; unread: number }[] };
    expect(rooms.rooms.find((r) => r.id === roomId)!.unread).toBe(0);

    const otherTab = await TestSocket.connect(server, alice!.user.cookie);
    const { type: _, requestId: __, ...read } = (await alice!.socket.ok({ type: "thread.read", threadRootId: root.id })) as ThreadReadState & { type: string; requestId: string };
    expect(read).toEqual({ roomId, rootId: root.id, lastReadId: r2.id, unread: 0 } satisfies ThreadReadState);
    const told = await otherTab.nextOf("thread.updated", (e) => e.rootId === root.id && "read" in e);
    expect("read" in told && told.read).toEqual(read);
    // Idempotent, and the same over HTTP.
    const again = await api(server, alice!.user, `/api/threads/${root.id}/read`, { json: {} });
    expect(await again.json()).toEqual(read);
    expect((await list(alice)).find((t) => t.rootId === root.id)!.unread).toBe(0);
    otherTab.close();
  });
});

describe("quote-replies", () => {
  test("carry a snippet of the message they answer; a message of another room cannot be quoted", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const quoted = await post(alice!, roomId, `The long original ${"x".repeat(300)}`);
    const answer = await post(bob!, roomId, "I agree", { quoteId: quoted.id });
    expect(answer.quote).toMatchObject({ id: quoted.id, author: { id: alice!.user.id } });
    expect(answer.quote!.snippet).toBe(quoted.body.slice(0, 200));
    const live = await alice!.socket.nextOf("message.created", (e) => e.message.id === answer.id);
    expect(live.message.quote).toEqual(answer.quote);

    const elsewhere = await roomOf(server, bob!, []);
    const foreign = await post(bob!, elsewhere, "in another room");
    const before = await fingerprint(server);
    expect(await bob!.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "x", quoteId: foreign.id })).toMatchObject({
      code: "message_not_found",
    });
    expect(await fingerprint(server)).toEqual(before);
    // Deleted: the quote stays, without its text.
    await alice!.socket.ok({ type: "message.delete", messageId: quoted.id });
    const page = await bob!.socket.ok({ type: "history", roomId });
    expect(page.messages.find((m) => m.id === answer.id)!.quote).toMatchObject({ id: quoted.id, snippet: "", deleted: true });
  });
});
