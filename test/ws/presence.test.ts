// Presence (online once over many tabs, offline after the last one) and typing indicators.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Chat } from "../../src/messages/chat.ts";
import type { Presence } from "../../src/presence/presence.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { acceptInvitation, api, TestSocket, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
let chat: Chat;
beforeAll(async () => {
  server = await startTestServer();
  chat = server.app.decorator.chat;
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

async function sharedRoom(a: { cookie: string }, members: { id: number; cookie: string }[]) {
  const res = await api(server, a, "/api/rooms", { json: { kind: "private", name: "presence", members: members.map((m) => m.id) } });
  const roomId = ((await res.json()) as { room: { id: number } }).room.id;
  for (const member of members) await acceptInvitation(server, member, roomId);
  return roomId;
}

async function onlineList(user: { cookie: string }) {
  return ((await (await api(server, user, "/api/presence")).json()) as { online: number[] }).online;
}

describe("presence", () => {
  test("a user with two tabs is online once, stays online when one closes, and goes offline after the last", async () => {
    const alice = await userWithSocket(server);
    const bob = await createTestUser(server.deps);
    await sharedRoom(alice.user, [bob]);
    const tab1 = await TestSocket.connect(server, bob.cookie);
    const tab2 = await TestSocket.connect(server, bob.cookie);
    await alice.socket.nextOf("presence.changed", (e) => e.online.includes(bob.id));
    expect(await onlineList(alice.user)).toContain(bob.id);

    tab1.close();
    await tab1.closed;
    while (chat.hub.socketCount(bob.id) !== 1) await Bun.sleep(5);
    // Whatever is due, even long after the grace period, one open tab keeps bob online.
    (chat.presence as Presence).flush(Date.now() + 60_000);
    await alice.socket.barrier();
    expect(alice.socket.of("presence.changed").filter((e) => e.online.includes(bob.id))).toHaveLength(1);
    expect(alice.socket.of("presence.changed").some((e) => e.offline.includes(bob.id))).toBe(false);
    expect(await onlineList(alice.user)).toContain(bob.id);

    tab2.close();
    await alice.socket.nextOf("presence.changed", (e) => e.offline.includes(bob.id));
    expect(await onlineList(alice.user)).not.toContain(bob.id);
  }, 15_000);

  test("the member list and the user directory show who is online", async () => {
    const alice = await userWithSocket(server, { username: "alice_dir", displayName: "Alice Liddell" });
    const bob = await createTestUser(server.deps, { username: "bob_dir" });
    const roomId = await sharedRoom(alice.user, [bob]);
    const res = await api(server, alice.user, `/api/rooms/${roomId}/members`);
    const { members } = (await res.json()) as { members: { id: number; online: boolean; role: string }[] };
    expect(members.find((m) => m.id === alice.user.id)).toMatchObject({ online: true, role: "owner" });
    expect(members.find((m) => m.id === bob.id)).toMatchObject({ online: false, role: "member" });

    const found = (await (await api(server, bob, "/api/users?query=LIDDELL")).json()) as { users: Record<string, unknown>[] };
    expect(found.users).toEqual([{ id: alice.user.id, username: "alice_dir", displayName: "Alice Liddell", online: true }]);
    const wild = (await (await api(server, bob, "/api/users?query=%25")).json()) as { users: unknown[] };
    expect(wild.users).toEqual([]);
    // Accents and capitals folded both ways: an accented capital in a display name is found too.
    const elodie = await createTestUser(server.deps, { username: "rosa_dir", displayName: "Élodie Martin" });
    for (const query of ["Élo", "élo", "ELO", "elodie m", "ÉLODIE"]) {
      const byName = (await (await api(server, bob, `/api/users?query=${encodeURIComponent(query)}`)).json()) as { users: { id: number }[] };
      expect({ query, ids: byName.users.map((u) => u.id) }).toEqual({ query, ids: [elodie.id] });
    }
    expect((await api(server, null, "/api/users")).status).toBe(401);
    expect((await api(server, null, "/api/presence")).status).toBe(401);
  });
});

describe("typing", () => {
  test("is announced once, renewed silently, and expires by itself after about 5 seconds", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const roomId = await sharedRoom(alice.user, [bob.user]);
    await bob.socket.nextOf("room.added", (e) => e.room.id === roomId);
    const started = Date.now();
    await alice.socket.ok({ type: "typing.start", roomId });
    await alice.socket.ok({ type: "typing.start", roomId });
    const on = await bob.socket.nextOf("typing", (e) => e.roomId === roomId && e.typing);
    expect(on.user.id).toBe(alice.user.id);
    const off = await bob.socket.nextOf("typing", (e) => e.roomId === roomId && !e.typing);
    expect(off.user.id).toBe(alice.user.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    expect(bob.socket.of("typing").filter((e) => e.typing)).toHaveLength(1);
  }, 15_000);

  test("ends when the typist sends the message", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const roomId = await sharedRoom(alice.user, [bob.user]);
    await alice.socket.ok({ type: "typing.start", roomId });
    await bob.socket.nextOf("typing", (e) => e.roomId === roomId && e.typing);
    await alice.socket.ok({ type: "message.post", roomId, clientId: uuid(), body: "done typing" });
    const created = await bob.socket.nextOf("message.created", (e) => e.message.roomId === roomId && e.message.body === "done typing");
    const off = await bob.socket.nextOf("typing", (e) => e.roomId === roomId && !e.typing);
    expect(bob.socket.events.indexOf(off)).toBeLessThan(bob.socket.events.indexOf(created));
  });
});
