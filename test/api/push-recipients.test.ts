// Who a push can reach when many people have push: past 500 subscribed people (push/notifier.ts
// LISTED) the room's members with push are read in one query (notifications/notification-queries.ts
// allRecipients) instead of checking the subscribed people one by one. That path too pushes to the
// room's members only, never to the author, never to someone outside (here, of a DM). Its own server:
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

describe("a push, with more people subscribed than are listed one by one", () => {
  test("reaches only the room's members, never the author nor someone outside the DM", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const eve = await createTestUser(server.deps);
    const [alices, bobs, eves] = [pushService.subscription(), pushService.subscription(), pushService.subscription()];
    for (const [user, subscription] of [[alice.user, alices], [bob.user, bobs], [eve, eves]] as const) await subscribe(user, subscription);
    // Eve is a member elsewhere, with every room set to notify her of everything.
    expect((await api(server, eve, "/api/rooms", { json: { kind: "private", name: "eve's", members: [] } })).status).toBe(201);
    expect((await api(server, eve, "/api/notifications", { method: "PATCH", json: { defaultLevel: "all" } })).status).toBe(200);
    const others = await Promise.all(Array.from({ length: 500 }, () => createTestUser(server.deps)));
    await Promise.all(others.map((person) => subscribe(person, pushService.subscription())));

    const dm = await api(server, alice.user, "/api/dms", { json: { userIds: [bob.user.id] } });
    const roomId = ((await dm.json()) as { room: Room }).room.id;
    await acceptInvitation(server, bob.user, roomId);
    const { message } = await alice.socket.post({ type: "message.post", roomId, clientId: uuid(), body: "between the two of us, in a busy server" });
    expect((await pushService.next((p) => p.endpoint === bobs.endpoint)).payload.messageId).toBe(message.id);
    for (const { push } of services()) {
      await push.notifier.drained();
      await push.sender.idle();
    }
    expect([pushService.to(alices), pushService.to(eves)]).toEqual([[], []]);
  }, 60_000);
});
