// Mentions, resolved by the server (issue 12): only members of the room, by username (never by
// display name), a look-alike spelling finds only the one person it looks like, `@room` only from
// the owner or an admin and only in small rooms; an edit that adds a mention notifies once; mention
// badges; the Mentions view, which never shows a room I left.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_ROOM_MENTION_MEMBERS, type Message, type Room } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { acceptInvitation, api, TestSocket, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());

const unique = () => Math.random().toString(36).slice(2, 8);

async function roomOf(owner: TestUser, members: TestUser[], name = "mentions"): Promise<number> {
  const res = await api(server, owner, "/api/rooms", { json: { kind: "private", name, members: members.map((m) => m.id) } });
  expect(res.status).toBe(201);
  const roomId = ((await res.json()) as { room: Room }).room.id;
  // Strangers are asked first (issue 21 §4); they accept.
  for (const member of members) await acceptInvitation(server, member, roomId);
  return roomId;
}

const post = (socket: TestSocket, roomId: number, body: string) => socket.post({ type: "message.post", roomId, clientId: uuid(), body });

describe("who a message mentions", () => {
  test("only members of the room, by username; unknown and outside names stay plain text", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const roomId = await roomOf(alice.user, [bob.user]);
    // Carol shares another room with Alice, but not this one.
    await roomOf(alice.user, [carol.user], "elsewhere");
    const body = `hi @${bob.user.username}, @${carol.user.username} and @nobody_${unique()}; mail me at x@${bob.user.username}.org`;
    const { message } = await post(alice.socket, roomId, body);
    expect(message.mentions).toEqual([bob.user.id]);
    expect(message.body).toBe(body);
    const seen = await bob.socket.nextOf("message.created", (e) => e.message.id === message.id);
    expect(seen.message.mentions).toEqual([bob.user.id]);
    // Stored as resolved: history shows the same, and nobody outside the room was recorded.
    const history = await bob.socket.ok({ type: "history", roomId });
    expect(history.messages.find((m) => m.id === message.id)!.mentions).toEqual([bob.user.id]);
    expect(await server.sql.all(`SELECT user_id AS "userId" FROM message_mentions WHERE message_id = ?`, message.id)).toEqual([{ userId: bob.user.id }]);
  });

  test("a display name with spaces is not a handle: @Ada Lovelace mentions nobody, @her_username does", async () => {
    const alice = await userWithSocket(server);
    const ada = await userWithSocket(server, { username: `ada_${unique()}`, displayName: "Ada Lovelace" });
    const roomId = await roomOf(alice.user, [ada.user]);
    expect((await post(alice.socket, roomId, "thanks @Ada Lovelace")).message.mentions).toBeUndefined();
    expect((await post(alice.socket, roomId, `thanks @${ada.user.username.toUpperCase()}!`)).message.mentions).toEqual([ada.user.id]);
    // The author never mentions themself; code shows text as it is and mentions nobody.
    expect((await post(alice.socket, roomId, `@${alice.user.username} \`@${ada.user.username}\``)).message.mentions).toBeUndefined();
  });

  test("a look-alike spelling finds only the member it looks like, never someone else", async () => {
    const alice = await userWithSocket(server);
    const suffix = unique();
    const paypal = await userWithSocket(server, { username: `paypal${suffix}` });
    const roomId = await roomOf(alice.user, [paypal.user]);
    // Cyrillic "а" in place of the Latin "a": usernames are unique by skeleton, so only one person can look like this.
    const lookalike = `p\u0430ypal${suffix}`;
    expect((await post(alice.socket, roomId, `@${lookalike} look`)).message.mentions).toEqual([paypal.user.id]);
    expect((await post(alice.socket, roomId, `@PAYPAL${suffix}`)).message.mentions).toEqual([paypal.user.id]);
  });

  test("a member whose account is disabled is mentioned neither by name nor by @room", async () => {
    const owner = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const roomId = await roomOf(owner.user, [bob.user, carol.user]);
    const admin = await createTestUser(server.deps, { isAdmin: true });
    expect((await api(server, admin, `/api/admin/users/${carol.user.id}`, { method: "PATCH", json: { disabled: true } })).status).toBe(200);
    expect((await post(owner.socket, roomId, `@${bob.user.username} @${carol.user.username}`)).message.mentions).toEqual([bob.user.id]);
    expect((await post(owner.socket, roomId, "@room all")).message.mentions).toEqual([bob.user.id]);
  });
});

describe("@room", () => {
  test("notifies every member when the room's owner writes it; a member is refused and nothing is stored", async () => {
    const owner = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const roomId = await roomOf(owner.user, [bob.user, carol.user]);
    const { message } = await post(owner.socket, roomId, "@room standup in 5");
    expect(message.mentions).toEqual([bob.user.id, carol.user.id].sort((a, b) => a - b));
    const clientId = uuid();
    const refused = await bob.socket.request({ type: "message.post", roomId, clientId, body: "@room look at this" });
    expect(refused).toMatchObject({ type: "error", code: "mention_room_not_allowed" });
    expect(await server.sql.get(`SELECT count(*) AS n FROM messages WHERE client_id = ?`, clientId)).toEqual({ n: 0 });
    // Over HTTP the same refusal, as 403.
    const http = await api(server, bob.user, `/api/rooms/${roomId}/messages`, { json: { clientId: uuid(), body: "hey @room" } });
    expect(http.status).toBe(403);
    expect(((await http.json()) as { error: string }).error).toBe("mention_room_not_allowed");
  });

  test("in a DM either person may write it, the one who did not open the DM too", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const res = await api(server, alice.user, "/api/dms", { json: { userIds: [bob.user.id] } });
    const roomId = ((await res.json()) as { room: Room }).room.id;
    await acceptInvitation(server, bob.user, roomId);
    expect((await post(bob.socket, roomId, "@room are you there?")).message.mentions).toEqual([alice.user.id]);
    expect((await post(alice.socket, roomId, "@room yes")).message.mentions).toEqual([bob.user.id]);
  });

  test(`is refused in a room of more than ${MAX_ROOM_MENTION_MEMBERS} members, even to its owner`, async () => {
    const owner = await userWithSocket(server);
    const others: TestUser[] = [];
    for (let i = 0; i < MAX_ROOM_MENTION_MEMBERS; i++) others.push(await createTestUser(server.deps));
    const roomId = await roomOf(owner.user, others, "big");
    expect(await owner.socket.request({ type: "message.post", roomId, clientId: uuid(), body: "@room hello all" })).toMatchObject({
      type: "error",
      code: "mention_room_too_large",
    });
    // At exactly the limit it is allowed: one member leaves.
    await api(server, others[0]!, `/api/rooms/${roomId}/leave`, { method: "POST" });
    const { message } = await post(owner.socket, roomId, "@room hello all");
    expect(message.mentions).toHaveLength(MAX_ROOM_MENTION_MEMBERS - 1);
  });
});

describe("editing", () => {
  test("an edit that adds a mention notifies the newly mentioned person once; removing it takes nothing back", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const roomId = await roomOf(alice.user, [bob.user, carol.user]);
    const { message } = await post(alice.socket, roomId, "see the doc");
    const edit = (body: string) => alice.socket.ok({ type: "message.edit", messageId: message.id, body });
    const added = await edit(`see the doc @${bob.user.username}`);
    expect(added.message.mentions).toEqual([bob.user.id]);
    const notified = await bob.socket.nextOf("mention.added", (e) => e.message.id === message.id);
    expect(notified.message.body).toBe(`see the doc @${bob.user.username}`);
    // Edited again, mention kept; then removed; then added back: no second notification.
    await edit(`see the doc, @${bob.user.username}!`);
    expect((await edit("see the doc")).message.mentions).toBeUndefined();
    expect((await edit(`@${bob.user.username} see the doc`)).message.mentions).toEqual([bob.user.id]);
    // Carol is mentioned for the first time by this edit: she, and only she, hears of it now.
    await edit(`@${bob.user.username} @${carol.user.username} see the doc`);
    await carol.socket.nextOf("mention.added", (e) => e.message.id === message.id);
    await bob.socket.barrier();
    await carol.socket.barrier();
    await alice.socket.barrier();
    expect(bob.socket.of("mention.added").filter((e) => e.message.id === message.id)).toHaveLength(1);
    expect(carol.socket.of("mention.added").filter((e) => e.message.id === message.id)).toHaveLength(1);
    expect(alice.socket.of("mention.added")).toHaveLength(0);
  });

  test("a mention taken out by an edit and written back counts again in my badge and my Mentions view", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const roomId = await roomOf(alice.user, [bob.user]);
    const { message } = await post(alice.socket, roomId, `@${bob.user.username} the doc`);
    const edit = (body: string) => alice.socket.ok({ type: "message.edit", messageId: message.id, body });
    const mine = async () => {
      const view = (await (await api(server, bob.user, "/api/mentions")).json()) as { messages: Message[] };
      const rooms = (await (await api(server, bob.user, "/api/rooms")).json()) as { rooms: Room[] };
      return { view: view.messages.map((m) => m.id), badge: rooms.rooms.find((r) => r.id === roomId)!.mentions };
    };
    expect(await mine()).toEqual({ view: [message.id], badge: 1 });
    await edit("the doc");
    expect(await mine()).toEqual({ view: [], badge: 0 });
    await edit(`the doc, @${bob.user.username}`);
    expect(await mine()).toEqual({ view: [message.id], badge: 1 });
  });
});

describe("mention badges", () => {
  test("rooms count unread messages that mention me, apart from the unread count; reading clears both", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const roomId = await roomOf(alice.user, [bob.user]);
    await post(alice.socket, roomId, "no mention");
    await post(alice.socket, roomId, `@${bob.user.username} one`);
    const last = await post(alice.socket, roomId, `@${bob.user.username} two`);
    const deleted = await post(alice.socket, roomId, `@${bob.user.username} gone`);
    await alice.socket.ok({ type: "message.delete", messageId: deleted.message.id });
    const listed = (await (await api(server, bob.user, "/api/rooms")).json()) as { rooms: Room[] };
    expect(listed.rooms.find((r) => r.id === roomId)).toMatchObject({ unread: 3, mentions: 2 });
    const fresh = await TestSocket.connect(server, bob.user.cookie);
    expect(fresh.ready.rooms.find((r) => r.id === roomId)).toMatchObject({ unread: 3, mentions: 2 });
    const read = await bob.socket.ok({ type: "read.mark", roomId, messageId: last.message.id });
    expect(read).toMatchObject({ unread: 0, mentions: 0 });
    const elsewhere = await fresh.nextOf("read.updated", (e) => e.roomId === roomId);
    expect(elsewhere).toMatchObject({ unread: 0, mentions: 0 });
    fresh.close();
  });
});

describe("the Mentions view", () => {
  test("lists recent messages that mention me across my rooms, newest first, and never a room I left", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const first = await roomOf(alice.user, [bob.user], "first");
    const second = await roomOf(alice.user, [bob.user], "second");
    const a = await post(alice.socket, first, `@${bob.user.username} in first`);
    await post(alice.socket, first, "not about bob");
    const b = await post(alice.socket, second, `hey @${bob.user.username}`);
    const view = async (user: TestUser, query = "") => (await (await api(server, user, `/api/mentions${query}`)).json()) as { messages: Message[]; hasMore: boolean };
    expect((await view(bob.user)).messages.map((m) => m.id)).toEqual([b.message.id, a.message.id]);
    expect(await view(bob.user, `?limit=1`)).toMatchObject({ messages: [{ id: b.message.id }], hasMore: true });
    expect((await view(bob.user, `?before=${b.message.id}`)).messages.map((m) => m.id)).toEqual([a.message.id]);
    expect((await view(alice.user)).messages).toEqual([]);
    // A deleted message leaves the view.
    const gone = await post(alice.socket, second, `@${bob.user.username} sorry, wrong room`);
    await alice.socket.ok({ type: "message.delete", messageId: gone.message.id });
    expect((await view(bob.user)).messages.map((m) => m.id)).toEqual([b.message.id, a.message.id]);
    // Bob leaves the first room: its messages vanish from his view, even the ones that mentioned him.
    expect((await api(server, bob.user, `/api/rooms/${first}/leave`, { method: "POST" })).status).toBe(200);
    expect((await view(bob.user)).messages.map((m) => m.id)).toEqual([b.message.id]);
    expect((await api(server, null, "/api/mentions")).status).toBe(401);
  });
});
