// History around a message (what a permalink opens), pages after a message (scrolling down from
// there), and the reconnect sync that must bring reactions, pins and thread replies made meanwhile.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { HistoryPage } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, TestSocket, uuid, type TestServer } from "./client.ts";
import { people, post, roomOf } from "./conversation-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

/** `count` messages straight into the database (beyond what the rate limits let one person post); their ids. */
async function seed(roomId: number, authorId: number, count: number): Promise<number[]> {
  const made = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      server.sql.write<{ id: number }>(
        "INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        roomId,
        authorId,
        uuid(),
        `seeded ${i}`,
        Date.now(),
      ),
    ),
  );
  return made.map(([row]) => row!.id);
}

describe("history around a message", () => {
  test("returns the message with those on either side, and pages on from there both ways", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const ids = await seed(roomId, alice!.user.id, 120);
    const target = ids[30]!;
    const around = await bob!.socket.ok({ type: "history", roomId, around: target, limit: 10 });
    expect(around.messages.map((m) => m.id)).toEqual(ids.slice(26, 36).reverse());
    expect(around).toMatchObject({ hasMore: true, hasNewer: true });
    const http = (await (await api(server, bob!.user, `/api/rooms/${roomId}/messages?around=${target}&limit=10`)).json()) as HistoryPage;
    expect(http.messages.map((m) => m.id)).toEqual(around.messages.map((m) => m.id));

    // Scrolling down from there: pages after the newest shown, until there are no more.
    let last = around.messages[0]!.id;
    const seen: number[] = [];
    for (;;) {
      const page = await bob!.socket.ok({ type: "history", roomId, after: last, limit: 40 });
      seen.push(...page.messages.map((m) => m.id).reverse());
      if (!page.hasNewer) break;
      last = page.messages[0]!.id;
    }
    expect(seen).toEqual(ids.slice(36));
    // Near the start there is nothing older.
    const first = await bob!.socket.ok({ type: "history", roomId, around: ids[1]!, limit: 10 });
    expect(first.hasMore).toBe(false);
    expect(await bob!.socket.request({ type: "history", roomId, around: target, before: target })).toMatchObject({ code: "invalid_request" });
  });

  test("of a reply shown only in its thread centres on the root and names the thread", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "root");
    const reply = await post(bob!, roomId, "in the thread", { threadRootId: root.id });
    const page = await alice!.socket.ok({ type: "history", roomId, around: reply.id });
    expect(page.threadRootId).toBe(root.id);
    expect(page.messages.map((m) => m.id)).toContain(root.id);
    expect(page.messages.map((m) => m.id)).not.toContain(reply.id);
  });

  test("is not found for anyone outside the room, and for a message of another room", async () => {
    const [alice, mallory] = await people(server, 2);
    const roomId = await roomOf(server, alice!, []);
    const message = await post(alice!, roomId, "secret");
    const otherRoom = await roomOf(server, mallory!, []);
    const notMember = await api(server, mallory!.user, `/api/rooms/${roomId}/messages?around=${message.id}`);
    const noRoom = await api(server, mallory!.user, `/api/rooms/${roomId + 100_000}/messages?around=${message.id}`);
    expect(notMember.status).toBe(404);
    expect(await notMember.json()).toEqual(await noRoom.json());
    // Mallory's own room, someone else's message id: as if it did not exist.
    const foreign = await api(server, mallory!.user, `/api/rooms/${otherRoom}/messages?around=${message.id}`);
    const missing = await api(server, mallory!.user, `/api/rooms/${otherRoom}/messages?around=${message.id + 100_000}`);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  });
});

describe("reconnecting", () => {
  test("sync brings reactions, pins and thread summaries changed while away; the thread brings its replies", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const root = await post(alice!, roomId, "Root seen before the drop");
    const plain = await post(alice!, roomId, "Plain, seen before the drop");
    const lastSeen = plain.id;
    await bob!.socket.nextOf("message.created", (e) => e.message.id === plain.id);
    const since = bob!.socket.ready.changeSeq;
    bob!.socket.close();
    await bob!.socket.closed;

    await alice!.socket.ok({ type: "reaction.add", messageId: plain.id, emoji: "🔥" });
    await alice!.socket.ok({ type: "message.pin", messageId: root.id });
    const r1 = await post(alice!, roomId, "reply while away", { threadRootId: root.id });
    const r2 = await post(alice!, roomId, "loud reply while away", { threadRootId: root.id, alsoToRoom: true });

    const back = await TestSocket.connect(server, bob!.user.cookie);
    const synced = await back.ok({ type: "sync", rooms: [{ roomId, lastId: lastSeen }], since });
    // New in the timeline: only the reply also sent to the room.
    expect(synced.rooms[0]!.messages.map((m) => m.id)).toEqual([r2.id]);
    const changes = new Map(synced.changes.map((m) => [m.id, m]));
    expect(changes.get(plain.id)!.reactions).toEqual([{ emoji: "🔥", count: 1, userIds: [alice!.user.id] }]);
    expect(changes.get(root.id)!.pinned).toMatchObject({ by: { id: alice!.user.id } });
    expect(changes.get(root.id)!.thread).toMatchObject({ replyCount: 2, lastReplyId: r2.id, participants: [{ id: alice!.user.id }] });
    // Each change once, the latest state: the root changed three times but comes once.
    expect(synced.changes.filter((m) => m.id === root.id)).toHaveLength(1);
    // The thread itself, asked for after the last reply the client had (none): both replies.
    const thread = await back.ok({ type: "history", roomId, threadRootId: root.id, after: 0 });
    expect(thread.messages.map((m) => m.id)).toEqual([r2.id, r1.id]);
    // Synced: nothing more from the new cursor.
    const again = await back.ok({ type: "sync", rooms: [{ roomId, lastId: r2.id }], since: synced.changeSeq });
    expect(again.rooms[0]!.messages).toEqual([]);
    expect(again.changes).toEqual([]);
    back.close();
  });
});
