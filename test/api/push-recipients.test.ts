// Who a push can reach when many people have push: past 500 subscribed people (push/notifier.ts
// LISTED) the room's members with push are read in one query (notifications/notification-queries.ts
// allRecipients) instead of checking the subscribed people one by one. That path too pushes to the
// room's members only, never to the author, never to someone outside (here, of a DM), and with each
// room's own level and mute. Its own server:
// 500 extra subscriptions would move every other push test onto this path.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Room } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { startPushService, type PushService, type TestSubscription } from "../support/push-service.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { acceptInvitation, api, userWithSocket, uuid, type TestServer } from "../ws/client.ts";

let server: TestServer;
let pushService: PushService;

beforeAll(async () => {
  pushService = await startPushService();
  server = await startTestServer({ config: { pushAllowPrivate: true, pushTuning: { ca: pushService.ca, retryBaseMs: 20, timeoutMs: 5000, lowerHttpThread: false } } });
}, 30_000);
afterAll(async () => {
  pushService.stop();
  await server.stop();
});

const services = () => server.nodes.map((node) => node.decorator.services);

async function subscribe(user: TestUser, subscription: TestSubscription): Promise<void> {
  const res = await api(server, user, "/api/push/subscription", { method: "PUT", json: subscription });
  expect(res.status).toBe(204);
  for (let i = 0; i < 500 && !services().every((s) => s.push.notifier.hasSubscriber(user.id)); i++) await Bun.sleep(10);
}

/** 500 more people with push than the test's own (made once; each test that needs them asks). */
let crowd: Promise<void> | null = null;
const busyServer = () =>
  (crowd ??= (async () => {
    const others = await Promise.all(Array.from({ length: 500 }, () => createTestUser(server.deps)));
    await Promise.all(others.map((person) => subscribe(person, pushService.subscription())));
  })());

async function pushesSettled(): Promise<void> {
  for (const { push } of services()) {
    await push.notifier.drained();
    await push.sender.idle();
  }
}

async function roomOf(owner: TestUser, members: TestUser[]): Promise<number> {
  const res = await api(server, owner, "/api/rooms", { json: { kind: "private", name: "push", members: members.map((m) => m.id) } });
  expect(res.status).toBe(201);
  const roomId = ((await res.json()) as { room: Room }).room.id;
  for (const member of members) await acceptInvitation(server, member, roomId);
  return roomId;
}

describe("a push, with more people subscribed than are listed one by one", () => {
  test("reaches only the room's members, never the author nor someone outside the DM", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const eve = await createTestUser(server.deps);
    const [alices, bobs, eves] = [pushService.subscription(), pushService.subscription(), pushService.subscription()];
    for (const [user, subscription] of [[alice.user, alices], [bob.user, bobs], [eve, eves]] as const) await subscribe(user, subscription);
    // Eve is a member elsewhere, with every room set to notify her of everything.
    await roomOf(eve, []);
    expect((await api(server, eve, "/api/notifications", { method: "PATCH", json: { defaultLevel: "all" } })).status).toBe(200);
    await busyServer();

    const dm = await api(server, alice.user, "/api/dms", { json: { userIds: [bob.user.id] } });
    const roomId = ((await dm.json()) as { room: Room }).room.id;
    await acceptInvitation(server, bob.user, roomId);
    const { message } = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "between the two of us, in a busy server" });
    expect((await pushService.next((p) => p.endpoint === bobs.endpoint)).payload.messageId).toBe(message.id);
    await pushesSettled();
    expect([pushService.to(alices), pushService.to(eves)]).toEqual([[], []]);
  }, 60_000);

  test("keeps each room's level and mute to that room: a muted room stays silent while another notifies of everything", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    await busyServer();
    const muted = await roomOf(alice.user, [bob.user]);
    const loud = await roomOf(alice.user, [bob.user]);
    await api(server, bob.user, `/api/rooms/${loud}/notify`, { method: "PUT", json: { level: "all", mutedUntil: null } });
    await api(server, bob.user, `/api/rooms/${muted}/notify`, { method: "PUT", json: { level: null, mutedUntil: Date.now() + 3_600_000 } });
    await alice.socket.post({ type: "message.post", roomId: muted, clientId: uuid(), body: `muted, even @${bob.user.username}` });
    const heard = await alice.socket.post({ type: "message.post", roomId: loud, clientId: uuid(), body: "this one is heard" });
    await pushesSettled();
    expect(pushService.to(subscription).map((push) => push.payload.messageId)).toEqual([heard.message.id]);
  }, 60_000);
});
