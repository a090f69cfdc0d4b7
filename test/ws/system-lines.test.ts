// System lines: joins, leaves, adds, removals, renames and topic changes are stored in the timeline
// as events (not words), live for the room, named by the accounts' current names, never unread, and
// neither editable nor deletable.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Message, RoomEventLine } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, type TestServer } from "./client.ts";
import { people, post, roomOf } from "./conversation-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

const lines = (messages: Message[]) => messages.filter((m) => m.event).map((m) => ({ author: m.author.id, ...m.event! }) as { author: number } & RoomEventLine);

describe("system lines", () => {
  test("record joins, adds, renames, topic changes, removals and leaves in order, live and in history", async () => {
    const [owner, joiner, added] = await people(server, 3);
    // The owner and `added` already share a private room: adding them is not a request (issue 21 §4).
    await roomOf(server, owner!, [added!]);
    const roomId = await roomOf(server, owner!, [], "public");
    await joiner!.socket.ok({ type: "room.join", roomId });
    const invited = await api(server, owner!.user, `/api/rooms/${roomId}/members`, { json: { userId: added!.user.id } });
    expect(invited.status).toBe(201);
    await api(server, owner!.user, `/api/rooms/${roomId}`, { method: "PATCH", json: { name: "renamed room", topic: "A new topic" } });
    await api(server, owner!.user, `/api/rooms/${roomId}/members/${added!.user.id}`, { method: "DELETE" });
    await joiner!.socket.ok({ type: "room.leave", roomId });

    const page = await owner!.socket.ok({ type: "history", roomId });
    const story = lines([...page.messages].reverse());
    expect(story).toEqual([
      { author: joiner!.user.id, kind: "joined" },
      { author: owner!.user.id, kind: "added", user: { id: added!.user.id, username: added!.user.username, displayName: null } },
      { author: owner!.user.id, kind: "renamed", name: "renamed room" },
      { author: owner!.user.id, kind: "topic", topic: "A new topic" },
      { author: owner!.user.id, kind: "removed", user: { id: added!.user.id, username: added!.user.username, displayName: null } },
      { author: joiner!.user.id, kind: "left" },
    ]);
    for (const line of page.messages) expect(line.body).toBe("");
    // Live, in the same order.
    await owner!.socket.barrier();
    expect(lines(owner!.socket.of("message.created").map((e) => e.message).filter((m) => m.roomId === roomId))).toEqual(story);
    // The joiner saw their own join, the added person their own addition.
    await added!.socket.barrier();
    expect(lines(added!.socket.of("message.created").map((e) => e.message).filter((m) => m.roomId === roomId)).map((l) => l.kind)).toEqual(["added", "renamed", "topic"]);
  });

  test("are not unread, and cannot be edited, deleted, reacted to or pinned", async () => {
    const [owner, joiner] = await people(server, 2);
    const roomId = await roomOf(server, owner!, [], "public");
    await joiner!.socket.ok({ type: "room.join", roomId });
    const line = await owner!.socket.nextOf("message.created", (e) => e.message.roomId === roomId && e.message.event?.kind === "joined");
    const rooms = (await (await api(server, owner!.user, "/api/rooms")).json()) as { rooms: { id: number; unread: number; lastMessageId: number }[] };
    expect(rooms.rooms.find((r) => r.id === roomId)).toMatchObject({ unread: 0, lastMessageId: line.message.id });
    expect(await joiner!.socket.request({ type: "message.edit", messageId: line.message.id, body: "rewritten" })).toMatchObject({ code: "not_allowed" });
    expect(await joiner!.socket.request({ type: "message.delete", messageId: line.message.id })).toMatchObject({ code: "not_allowed" });
    expect(await owner!.socket.request({ type: "reaction.add", messageId: line.message.id, emoji: "👋" })).toMatchObject({ code: "invalid_request" });
    expect(await owner!.socket.request({ type: "message.pin", messageId: line.message.id })).toMatchObject({ code: "invalid_request" });
    const message = await post(joiner!, roomId, "now a real message");
    const after = (await (await api(server, owner!.user, "/api/rooms")).json()) as { rooms: { id: number; unread: number }[] };
    expect(after.rooms.find((r) => r.id === roomId)!.unread).toBe(1);
    expect(message.event).toBeUndefined();
  });
});
