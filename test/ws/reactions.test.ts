// Reactions over the socket and HTTP: one of each emoji per person, live for the room with counts and
// who reacted, idempotent, at most 20 distinct per message, only emoji, only for members, kept
// through edits and gone with the message, and limited like messages.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_REACTIONS_PER_MESSAGE, type HistoryPage, type ReactionReply } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { api, type TestServer } from "./client.ts";
import { fingerprint, people, post, roomOf } from "./conversation-helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

/** Twenty distinct emoji, then a twenty-first. */
const TWENTY_ONE = ["😀", "😂", "😍", "🤔", "😎", "😢", "😡", "👍", "👎", "👏", "🙏", "🔥", "🎉", "❤️", "💯", "✅", "🚀", "👀", "🍕", "☕", "🌈"];

describe("reacting", () => {
  test("is live for the room with counts and who reacted, once per person, and undone by removing", async () => {
    const [alice, bob, carol] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!, carol!]);
    const message = await post(alice!, roomId, "Ship it?");

    const added = await bob!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "👍" });
    expect(added.reactions).toEqual([{ emoji: "👍", count: 1, userIds: [bob!.user.id], mine: true }]);
    const live = await alice!.socket.nextOf("reaction.changed", (e) => e.messageId === message.id);
    expect(live).toMatchObject({ roomId, userId: bob!.user.id, emoji: "👍", added: true, reactions: [{ emoji: "👍", count: 1, userIds: [bob!.user.id] }] });
    expect(live.reactions[0]!.mine).toBeUndefined();

    await carol!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "👍" });
    const both = await alice!.socket.nextOf("reaction.changed", (e) => e.messageId === message.id && e.userId === carol!.user.id);
    expect(both.reactions).toEqual([{ emoji: "👍", count: 2, userIds: [bob!.user.id, carol!.user.id] }]);
    expect(both.seq).toBeGreaterThan(live.seq);

    // A resend adds nothing, announces nothing and moves no change number.
    const before = await fingerprint(server);
    const again = await bob!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "👍" });
    expect(again.reactions).toEqual([{ emoji: "👍", count: 2, userIds: [bob!.user.id, carol!.user.id], mine: true }]);
    expect(await fingerprint(server)).toEqual(before);
    await alice!.socket.barrier();
    expect(alice!.socket.of("reaction.changed").filter((e) => e.messageId === message.id)).toHaveLength(2);

    // History tells each reader which are theirs.
    const page = await carol!.socket.ok({ type: "history", roomId });
    expect(page.messages[0]!.reactions).toEqual([{ emoji: "👍", count: 2, userIds: [bob!.user.id, carol!.user.id], mine: true }]);
    const alicePage = await alice!.socket.ok({ type: "history", roomId });
    expect(alicePage.messages[0]!.reactions![0]!.mine).toBeUndefined();

    const removed = await bob!.socket.ok({ type: "reaction.remove", messageId: message.id, emoji: "👍" });
    expect(removed.reactions).toEqual([{ emoji: "👍", count: 1, userIds: [carol!.user.id] }]);
    await alice!.socket.nextOf("reaction.changed", (e) => e.messageId === message.id && !e.added);
    // Removing what is not there is a no-op too.
    const snapshot = await fingerprint(server);
    await bob!.socket.ok({ type: "reaction.remove", messageId: message.id, emoji: "👍" });
    expect(await fingerprint(server)).toEqual(snapshot);
    await carol!.socket.ok({ type: "reaction.remove", messageId: message.id, emoji: "👍" });
    const none = await alice!.socket.ok({ type: "history", roomId });
    expect(none.messages[0]!.reactions).toBeUndefined();
  });

  test("takes any emoji, in one form whatever variation selector it came with, and refuses text", async () => {
    const [alice] = await people(server, 1);
    const roomId = await roomOf(server, alice!, []);
    const message = await post(alice!, roomId, "emoji only");
    // emojibase writes 👍 with U+FE0F; a keyboard may send ❤ without it: each is one reaction.
    await alice!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "👍\uFE0F" });
    const hearts = await alice!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "❤" });
    expect(hearts.reactions.map((r) => r.emoji)).toEqual(["👍", "❤️"]);
    const same = await alice!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "👍" });
    expect(same.reactions.map((r) => [r.emoji, r.count])).toEqual([["👍", 1], ["❤️", 1]]);
    for (const emoji of ["👨‍👩‍👧", "🏳️‍🌈", "🇫🇷", "👍🏽"]) await alice!.socket.ok({ type: "reaction.add", messageId: message.id, emoji });

    const before = await fingerprint(server);
    for (const emoji of ["a", "lol", "👍👍", ":+1:", "1", "\u200d", "🇦", "<b>", "\ud83d", "👍 "]) {
      expect({ emoji, answer: await alice!.socket.request({ type: "reaction.add", messageId: message.id, emoji }) }).toMatchObject({
        emoji,
        answer: { type: "error", code: "invalid_emoji" },
      });
    }
    expect(await alice!.socket.request({ type: "reaction.add", messageId: message.id, emoji: "x".repeat(33) })).toMatchObject({ code: "invalid_request" });
    const http = await api(server, alice!.user, `/api/messages/${message.id}/reactions/${encodeURIComponent("lol")}`, { method: "PUT" });
    expect(http.status).toBe(400);
    expect(await http.json()).toMatchObject({ error: "invalid_emoji" });
    expect(await fingerprint(server)).toEqual(before);
  });

  test("a message holds at most 20 distinct emoji: the 21st is refused, while more people may add the ones there", async () => {
    const [alice, bob, carol] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!, carol!]);
    const message = await post(alice!, roomId, "react away");
    // Two people share the twenty, each within their burst of writes.
    for (const [i, emoji] of TWENTY_ONE.slice(0, MAX_REACTIONS_PER_MESSAGE).entries()) {
      await (i % 2 ? carol! : alice!).socket.ok({ type: "reaction.add", messageId: message.id, emoji });
    }
    const before = await fingerprint(server);
    expect(await bob!.socket.request({ type: "reaction.add", messageId: message.id, emoji: TWENTY_ONE[20]! })).toMatchObject({ code: "too_many_reactions" });
    const http = await api(server, bob!.user, `/api/messages/${message.id}/reactions/${encodeURIComponent(TWENTY_ONE[20]!)}`, { method: "PUT" });
    expect(http.status).toBe(409);
    expect(await fingerprint(server)).toEqual(before);
    const joined = await bob!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "🚀" });
    expect(joined.reactions).toHaveLength(20);
    expect(joined.reactions.find((r) => r.emoji === "🚀")).toMatchObject({ count: 2, mine: true });
  });

  test("by anyone not in the room, or no longer in it, is not found and writes nothing", async () => {
    const [alice, bob, mallory] = await people(server, 3);
    const roomId = await roomOf(server, alice!, [bob!]);
    const message = await post(alice!, roomId, "members only");
    const before = await fingerprint(server);
    const stranger = await mallory!.socket.request({ type: "reaction.add", messageId: message.id, emoji: "👍" });
    const missing = await mallory!.socket.request({ type: "reaction.add", messageId: message.id + 100_000, emoji: "👍" });
    expect(stranger).toMatchObject({ code: "message_not_found" });
    expect({ ...stranger, requestId: "" }).toEqual({ ...missing, requestId: "" });
    expect(await mallory!.socket.request({ type: "reaction.remove", messageId: message.id, emoji: "👍" })).toMatchObject({ code: "message_not_found" });
    const http = await api(server, mallory!.user, `/api/messages/${message.id}/reactions/${encodeURIComponent("👍")}`, { method: "PUT" });
    expect(http.status).toBe(404);
    expect(await fingerprint(server)).toEqual(before);
    await mallory!.socket.barrier();
    expect(mallory!.socket.of("reaction.changed")).toEqual([]);

    // Bob reacts, is removed, and can neither add nor take back his reaction.
    await bob!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "🎉" });
    expect((await api(server, alice!.user, `/api/rooms/${roomId}/members/${bob!.user.id}`, { method: "DELETE" })).status).toBe(200);
    const afterRemoval = await fingerprint(server);
    expect(await bob!.socket.request({ type: "reaction.remove", messageId: message.id, emoji: "🎉" })).toMatchObject({ code: "message_not_found" });
    expect(await bob!.socket.request({ type: "reaction.add", messageId: message.id, emoji: "👍" })).toMatchObject({ code: "message_not_found" });
    expect(await fingerprint(server)).toEqual(afterRemoval);
  });

  test("stay through edits and go with the message", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const message = await post(alice!, roomId, "tpyo");
    await bob!.socket.ok({ type: "reaction.add", messageId: message.id, emoji: "😂" });
    const edited = await alice!.socket.ok({ type: "message.edit", messageId: message.id, body: "typo" });
    expect(edited.message.reactions).toEqual([{ emoji: "😂", count: 1, userIds: [bob!.user.id] }]);
    const update = await bob!.socket.nextOf("message.updated", (e) => e.message.id === message.id);
    expect(update.message.reactions).toHaveLength(1);
    await alice!.socket.ok({ type: "message.delete", messageId: message.id });
    expect((await server.sql.get<{ n: number }>("SELECT count(*) AS n FROM reactions WHERE message_id = ?", message.id))!.n).toBe(0);
    expect(await bob!.socket.request({ type: "reaction.add", messageId: message.id, emoji: "😂" })).toMatchObject({ code: "message_not_found" });
  });

  test("over HTTP: PUT adds, DELETE removes, both idempotent, with the same frames", async () => {
    const [alice, bob] = await people(server, 2);
    const roomId = await roomOf(server, alice!, [bob!]);
    const message = await post(alice!, roomId, "by HTTP");
    const path = `/api/messages/${message.id}/reactions/${encodeURIComponent("🎉")}`;
    const first = await api(server, bob!.user, path, { method: "PUT" });
    expect(first.status).toBe(200);
    expect(((await first.json()) as ReactionReply).reactions).toEqual([{ emoji: "🎉", count: 1, userIds: [bob!.user.id], mine: true }]);
    await alice!.socket.nextOf("reaction.changed", (e) => e.messageId === message.id && e.added);
    expect(((await (await api(server, bob!.user, path, { method: "PUT" })).json()) as ReactionReply).reactions[0]!.count).toBe(1);
    const gone = await api(server, bob!.user, path, { method: "DELETE" });
    expect(((await gone.json()) as ReactionReply).reactions).toEqual([]);
    await alice!.socket.nextOf("reaction.changed", (e) => e.messageId === message.id && !e.added);
    const page = (await (await api(server, alice!.user, `/api/rooms/${roomId}/messages`)).json()) as HistoryPage;
    expect(page.messages[0]!.reactions).toBeUndefined();
  });
});

describe("a reaction storm", () => {
  test("from one socket is refused with rate_limited, like a message flood", async () => {
    const [alice] = await people(server, 1);
    const roomId = await roomOf(server, alice!, []);
    const message = await post(alice!, roomId, "storm target");
    const emoji = ["👍", "👎"];
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => alice!.socket.request({ type: i % 2 ? "reaction.remove" : "reaction.add", messageId: message.id, emoji: emoji[Math.floor(i / 2) % 2]! })),
    );
    const limited = answers.filter((a) => a.type === "error" && a.code === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ retryAfterMs: expect.any(Number) });
  });
});
