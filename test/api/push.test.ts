// Web Push against a real receiver (test/support/push-service.ts): VaultRoom's requests carry a valid
// VAPID JWT and a payload only the subscription's keys decrypt (RFC 8291), holding only what the
// notification shows; 410 forgets the subscription; a hanging push service delays no message; an
// endpoint on a private address is refused unless --push-allow-private; a subscription ends with its
// session. Runs on both engines (in a cluster the message and the visible tab may be on other nodes).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Room } from "../../src/protocol.ts";
import { removeGone, type PushDevice } from "../../src/push/subscriptions.ts";
import { startTestServer } from "../support/app.ts";
import { TEST_ENGINE } from "../support/engine.ts";
import { startPushService, type PushService, type TestSubscription } from "../support/push-service.ts";
import { createTestUser, type TestUser } from "../support/users.ts";
import { acceptInvitation, api, TestSocket, userWithSocket, uuid, type TestServer } from "../ws/client.ts";

let server: TestServer;
let pushService: PushService;

beforeAll(async () => {
  pushService = await startPushService();
  // A bot-sized message rate: the slow-push test posts in a tight loop.
  server = await startTestServer({ config: { messageRate: 1000, pushAllowPrivate: true, pushTuning: { ca: pushService.ca, retryBaseMs: 20, timeoutMs: 5000, lowerHttpThread: false } } });
}, 30_000);
afterAll(async () => {
  pushService.stop();
  await server.stop();
});

const services = () => server.nodes.map((node) => node.decorator.services);

/** Every node has decided every committed message, and its sender has nothing queued or in flight. */
async function pushesSettled(): Promise<void> {
  for (const { push } of services()) {
    await push.notifier.drained();
    await push.sender.idle();
  }
}

async function subscribe(user: TestUser, subscription: TestSubscription): Promise<void> {
  const res = await api(server, user, "/api/push/subscription", { method: "PUT", json: subscription });
  expect(res.status).toBe(204);
  // Every node hears of it (in a cluster, through the bus) before a message can be pushed from there.
  for (let i = 0; i < 500 && !services().every((s) => s.push.notifier.hasSubscriber(user.id)); i++) await Bun.sleep(10);
}

async function dmBetween(a: TestUser, b: TestUser): Promise<number> {
  const res = await api(server, a, "/api/dms", { json: { userIds: [b.id] } });
  const roomId = ((await res.json()) as { room: Room }).room.id;
  // Strangers: the DM reaches b as a request to accept first (issue 21 §4).
  await acceptInvitation(server, b, roomId);
  return roomId;
}

async function roomOf(owner: TestUser, members: TestUser[]): Promise<number> {
  const res = await api(server, owner, "/api/rooms", { json: { kind: "private", name: "push", members: members.map((m) => m.id) } });
  const roomId = ((await res.json()) as { room: Room }).room.id;
  for (const member of members) await acceptInvitation(server, member, roomId);
  return roomId;
}

const post = (socket: TestSocket, roomId: number, body: string) => socket.post({ type: "message.post", roomId, clientId: uuid(), body });

describe("a push", () => {
  test("for a DM is signed (VAPID), encrypted for the subscription's keys, urgent, and shows the sender and the first 120 characters", async () => {
    const alice = await userWithSocket(server, { displayName: "Alice Liddell" });
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const roomId = await dmBetween(alice.user, bob.user);
    const body = `${"Down the rabbit hole ".repeat(10)}THE END`;
    const { message } = await post(alice.socket, roomId, body);
    const push = await pushService.next((p) => p.endpoint === subscription.endpoint);
    const { vapidPublicKey } = (await (await api(server, bob.user, "/api/notifications")).json()) as { vapidPublicKey: string };
    expect(push.vapidKey).toBe(vapidPublicKey);
    expect(push.jwt.aud).toBe(pushService.origin);
    expect(push.headers.urgency).toBe("high");
    expect(Number(push.headers.ttl)).toBeGreaterThan(0);
    expect(push.payload).toMatchObject({ kind: "message", roomId, messageId: message.id, dm: true, mention: false, sender: "Alice Liddell", room: "" });
    expect([...(push.payload.text as string)]).toHaveLength(120);
    expect(push.payload.text as string).toStartWith("Down the rabbit hole");
    expect(push.text).not.toContain("THE END");
    expect(pushService.problems).toEqual([]);
  });

  test("carries no text at all when previews are off", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    expect((await api(server, bob.user, "/api/notifications", { method: "PATCH", json: { previews: false } })).status).toBe(200);
    const roomId = await dmBetween(alice.user, bob.user);
    await post(alice.socket, roomId, "the secret plans are in the drawer");
    const push = await pushService.next((p) => p.endpoint === subscription.endpoint);
    expect(push.payload.text).toBeUndefined();
    expect(push.text).not.toContain("secret");
  });

  test("reaches only the room's members: someone subscribed outside a DM gets nothing of it", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const eve = await createTestUser(server.deps);
    const [bobs, eves] = [pushService.subscription(), pushService.subscription()];
    await subscribe(bob.user, bobs);
    await subscribe(eve, eves);
    // Eve is a member elsewhere, with every room set to notify her of everything.
    await roomOf(eve, []);
    expect((await api(server, eve, "/api/notifications", { method: "PATCH", json: { defaultLevel: "all" } })).status).toBe(200);
    const roomId = await dmBetween(alice.user, bob.user);
    const { message } = await post(alice.socket, roomId, "between the two of us");
    expect((await pushService.next((p) => p.endpoint === bobs.endpoint)).payload.messageId).toBe(message.id);
    await pushesSettled();
    expect(pushService.to(eves)).toEqual([]);
  });

  test("in a room: a mention is pushed (urgent), a plain message is not (rooms default to mentions only)", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const roomId = await roomOf(alice.user, [bob.user]);
    await post(alice.socket, roomId, "just chatting");
    const mention = await post(alice.socket, roomId, `@${bob.user.username} have a look`);
    const push = await pushService.next((p) => p.endpoint === subscription.endpoint);
    expect(push.payload).toMatchObject({ messageId: mention.message.id, mention: true, dm: false, room: "push" });
    expect(push.headers.urgency).toBe("high");
    await pushesSettled();
    expect(pushService.to(subscription)).toHaveLength(1);
  });

  test("levels and mute decide: room set to all pushes everything (normal urgency); muted pushes nothing", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const roomId = await roomOf(alice.user, [bob.user]);
    expect((await api(server, bob.user, `/api/rooms/${roomId}/notify`, { method: "PUT", json: { level: "all", mutedUntil: null } })).status).toBe(200);
    const first = await post(alice.socket, roomId, "everything notifies now");
    const push = await pushService.next((p) => p.endpoint === subscription.endpoint);
    expect(push.payload.messageId).toBe(first.message.id);
    expect(push.headers.urgency).toBe("normal");
    await api(server, bob.user, `/api/rooms/${roomId}/notify`, { method: "PUT", json: { level: "all", mutedUntil: Date.now() + 3_600_000 } });
    await post(alice.socket, roomId, `muted, even @${bob.user.username}`);
    await pushesSettled();
    expect(pushService.to(subscription)).toHaveLength(1);
  });

  test("a room's level and mute are its own: a muted room stays silent while another room notifies of everything", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const muted = await roomOf(alice.user, [bob.user]);
    const loud = await roomOf(alice.user, [bob.user]);
    await api(server, bob.user, `/api/rooms/${loud}/notify`, { method: "PUT", json: { level: "all", mutedUntil: null } });
    await api(server, bob.user, `/api/rooms/${muted}/notify`, { method: "PUT", json: { level: null, mutedUntil: Date.now() + 3_600_000 } });
    await post(alice.socket, muted, `muted, even @${bob.user.username}`);
    const heard = await post(alice.socket, loud, "this one is heard");
    await pushesSettled();
    expect(pushService.to(subscription).map((push) => push.payload.messageId)).toEqual([heard.message.id]);
  });

  test("a message to more people with push than are decided in one turn reaches each of them once; the joins before it reach nobody", async () => {
    // The notifier decides 100 people per turn of the event loop (push/notifier.ts): 130 take two.
    const alice = await userWithSocket(server);
    const people = await Promise.all(Array.from({ length: 130 }, () => createTestUser(server.deps)));
    const subscriptions = people.map(() => pushService.subscription());
    await Promise.all(people.map((person, i) => subscribe(person, subscriptions[i]!)));
    // A public room they join (a new room invites at most a few dozen people at once).
    const created = await api(server, alice.user, "/api/rooms", { json: { kind: "public", name: `big-${uuid().slice(0, 8)}` } });
    const roomId = ((await created.json()) as { room: Room }).room.id;
    await Promise.all(people.map(async (person) => {
      expect((await api(server, person, `/api/rooms/${roomId}/join`, { method: "POST" })).status).toBe(200);
      expect((await api(server, person, `/api/rooms/${roomId}/notify`, { method: "PUT", json: { level: "all", mutedUntil: null } })).status).toBe(200);
    }));
    const sent = await post(alice.socket, roomId, "to everyone in a big room");
    await pushesSettled();
    // Each once, and nothing else: the 130 "… joined" lines before it are system lines, never pushed.
    expect(subscriptions.map((subscription) => pushService.to(subscription).map((push) => push.payload.messageId))).toEqual(
      subscriptions.map(() => [sent.message.id]),
    );
    expect(pushService.problems).toEqual([]);
  }, 60_000);

  test("is not sent while one of the user's tabs is visible, on whichever node that tab is", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const roomId = await dmBetween(alice.user, bob.user);
    await bob.socket.ok({ type: "client.visibility", visible: true });
    for (let i = 0; i < 500 && !services().every((s) => s.chat.visibility.isVisible(bob.user.id)); i++) await Bun.sleep(10);
    await post(alice.socket, roomId, "you are looking at the chat");
    await pushesSettled();
    expect(pushService.to(subscription)).toHaveLength(0);
    // The tab goes hidden: pushes resume.
    await bob.socket.ok({ type: "client.visibility", visible: false });
    for (let i = 0; i < 500 && services().some((s) => s.chat.visibility.isVisible(bob.user.id)); i++) await Bun.sleep(10);
    const { message } = await post(alice.socket, roomId, "now you are not");
    expect((await pushService.next((p) => p.endpoint === subscription.endpoint)).payload.messageId).toBe(message.id);
  });

  test("an edit that adds a mention pushes once, to the newly mentioned person only", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const subscription = pushService.subscription();
    await subscribe(bob.user, subscription);
    const roomId = await roomOf(alice.user, [bob.user]);
    const { message } = await post(alice.socket, roomId, "draft");
    await alice.socket.ok({ type: "message.edit", messageId: message.id, body: `draft for @${bob.user.username}` });
    const push = await pushService.next((p) => p.endpoint === subscription.endpoint);
    expect(push.payload).toMatchObject({ messageId: message.id, mention: true });
    await alice.socket.ok({ type: "message.edit", messageId: message.id, body: `final for @${bob.user.username}` });
    await pushesSettled();
    expect(pushService.to(subscription)).toHaveLength(1);
  });
});

describe("subscriptions", () => {
  test("a 410 from the push service forgets the subscription, and my devices list says so", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const gone = pushService.subscription({ status: 410 });
    await subscribe(bob.user, gone);
    const roomId = await dmBetween(alice.user, bob.user);
    await post(alice.socket, roomId, "anyone there?");
    await pushService.next((p) => p.endpoint === gone.endpoint);
    await pushesSettled();
    expect(await server.sql.get(`SELECT count(*) AS n FROM push_subscriptions WHERE endpoint = ?`, gone.endpoint)).toEqual({ n: 0 });
    await bob.socket.nextOf("push.changed");
    const { devices } = (await (await api(server, bob.user, "/api/push/devices")).json()) as { devices: PushDevice[] };
    expect(devices).toEqual([]);
  });

  test("end with their session: logout and revocation remove them; my devices list only mine; another's is not found", async () => {
    const bob = await createTestUser(server.deps);
    const eve = await createTestUser(server.deps);
    const phone = await loginAgain(bob);
    await subscribe(bob, pushService.subscription());
    await subscribe(phone, pushService.subscription());
    const listed = (await (await api(server, bob, "/api/push/devices")).json()) as { devices: PushDevice[] };
    expect(listed.devices.map((d) => d.current)).toEqual([true, false]);
    // Eve cannot remove Bob's device: the same answer as for one that does not exist.
    expect((await api(server, eve, `/api/push/devices/${listed.devices[0]!.id}`, { method: "DELETE" })).status).toBe(404);
    // Revoking the phone's session ends its subscription in the same transaction.
    expect((await api(server, bob, `/api/sessions/${phone.sessionId}`, { method: "DELETE" })).status).toBe(204);
    expect(await countFor(bob.id)).toBe(1);
    expect((await api(server, bob, "/api/auth/logout", { method: "POST" })).status).toBeLessThan(300);
    expect(await countFor(bob.id)).toBe(0);
  });

  test("a push service's 'gone' for an endpoint this browser has since replaced leaves the new subscription", async () => {
    const bob = await createTestUser(server.deps);
    const old = pushService.subscription();
    await subscribe(bob, old);
    // The browser renewed its subscription (same session, same device row, a new endpoint)...
    const renewed = pushService.subscription();
    await subscribe(bob, renewed);
    const { devices } = (await (await api(server, bob, "/api/push/devices")).json()) as { devices: PushDevice[] };
    expect(devices).toHaveLength(1);
    // ...while a push to the old endpoint was in flight: its 410 arrives now (what the sender's onGone writes).
    expect(await server.store.write(removeGone, { id: devices[0]!.id, endpoint: old.endpoint })).toBe(false);
    expect(await countFor(bob.id)).toBe(1);
    expect(await (await api(server, bob, "/api/push/test", { method: "POST" })).json()).toEqual({ devices: 1 });
    expect((await pushService.next((p) => p.endpoint === renewed.endpoint)).payload).toMatchObject({ kind: "test" });
  });

  test("turning push off in one browser ends that browser's subscription only: my other device and others' stay", async () => {
    const bob = await createTestUser(server.deps);
    const phone = await loginAgain(bob);
    const carol = await createTestUser(server.deps);
    for (const user of [bob, phone, carol]) await subscribe(user, pushService.subscription());
    expect((await api(server, bob, "/api/push/subscription", { method: "DELETE" })).status).toBe(204);
    const { devices } = (await (await api(server, phone, "/api/push/devices")).json()) as { devices: PushDevice[] };
    expect(devices.map((d) => d.current)).toEqual([true]);
    expect(await countFor(carol.id)).toBe(1);
  });

  test("a browser subscribed by someone before (a shared computer) moves to whoever subscribes it now; the earlier person is told", async () => {
    const earlier = await userWithSocket(server);
    const now = await createTestUser(server.deps);
    const browser = pushService.subscription();
    await subscribe(earlier.user, browser);
    const first = await earlier.socket.nextOf("push.changed");
    await subscribe(now, browser);
    // The earlier person's pushes no longer go to that browser, and their open tab hears that their devices changed.
    expect(await countFor(earlier.user.id)).toBe(0);
    expect(await countFor(now.id)).toBe(1);
    await earlier.socket.nextOf("push.changed", (event) => event !== first);
  });

  test("a disabled account's subscriptions end with its sessions", async () => {
    const admin = await createTestUser(server.deps, { isAdmin: true });
    const bob = await createTestUser(server.deps);
    await subscribe(bob, pushService.subscription());
    expect((await api(server, admin, `/api/admin/users/${bob.id}`, { method: "PATCH", json: { disabled: true } })).status).toBe(200);
    expect(await countFor(bob.id)).toBe(0);
  });

  test("a test notification reaches every device of mine", async () => {
    const bob = await createTestUser(server.deps);
    const subscription = pushService.subscription();
    await subscribe(bob, subscription);
    const res = await api(server, bob, "/api/push/test", { method: "POST" });
    expect(await res.json()).toEqual({ devices: 1 });
    expect((await pushService.next((p) => p.endpoint === subscription.endpoint)).payload).toMatchObject({ kind: "test" });
  });

  test("every node signs with the one VAPID key pair the browsers subscribed to (in a cluster: the shared settings table)", async () => {
    const keys = services().map((s) => s.push.vapidPublicKey);
    expect(keys).toHaveLength(TEST_ENGINE === "cluster" ? 2 : 1);
    expect(new Set(keys).size).toBe(1);
    const bob = await createTestUser(server.deps);
    const { vapidPublicKey } = (await (await api(server, bob, "/api/notifications")).json()) as { vapidPublicKey: string };
    expect(vapidPublicKey).toBe(keys[0]!);
  });

  test("refuses endpoints that are not https, carry credentials, are too long, or keys that are not P-256", async () => {
    const bob = await createTestUser(server.deps);
    const good = pushService.subscription();
    for (const endpoint of ["http://push.example/x", "https://user:pw@push.example/x", `https://push.example/${"x".repeat(1100)}`, "not a url"]) {
      const res = await api(server, bob, "/api/push/subscription", { method: "PUT", json: { ...good, endpoint } });
      expect({ endpoint: endpoint.slice(0, 40), status: res.status }).toEqual({ endpoint: endpoint.slice(0, 40), status: 400 });
    }
    const badKeys = await api(server, bob, "/api/push/subscription", { method: "PUT", json: { ...good, keys: { p256dh: "AAAA", auth: good.keys.auth } } });
    expect(badKeys.status).toBe(400);
    // The right length, but not an uncompressed P-256 point (its first byte must be 4).
    const notAPoint = Buffer.from(good.keys.p256dh, "base64url");
    notAPoint[0] = 5;
    const badPoint = await api(server, bob, "/api/push/subscription", { method: "PUT", json: { ...good, keys: { p256dh: notAPoint.toString("base64url"), auth: good.keys.auth } } });
    expect(badPoint.status).toBe(400);
  });
});

describe("a slow push service", () => {
  test("delays no message: while its requests hang, messages are acknowledged and delivered as fast as before", async () => {
    const alice = await userWithSocket(server);
    const bob = await userWithSocket(server);
    const carol = await userWithSocket(server);
    const hanging: TestUser[] = [];
    for (let i = 0; i < 10; i++) {
      const user = await createTestUser(server.deps);
      await subscribe(user, pushService.subscription("hang"));
      hanging.push(user);
    }
    const roomId = await roomOf(alice.user, [bob.user, carol.user, ...hanging]);
    expect((await api(server, alice.user, `/api/rooms/${roomId}/members`)).status).toBe(200);
    const latencies = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const { message } = await post(alice.socket, roomId, `@room ping ${i} ${uuid()}`);
        await carol.socket.nextOf("message.created", (e) => e.message.id === message.id);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const during = await latencies(30);
    // The pushes for those messages were still hanging at the push service all along.
    expect(pushService.hangingCount).toBeGreaterThan(0);
    const p99 = during[Math.floor(during.length * 0.99)]!;
    pushService.release();
    await pushesSettled();
    console.log(`message round trip while ${hanging.length} push requests hung: p50 ${during[15]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    // Not a speed target (bench/ has those): a message that waited for a push would wait out the push
    // service's timeout (5 s here), so anything clearly below it, even on a loaded machine, shows none did.
    expect(p99).toBeLessThan(4000);
  });
});

describe("without --push-allow-private", () => {
  test("an endpoint on a private or loopback address is refused when subscribing, and never sent to", async () => {
    const locked = await startTestServer({ config: { pushTuning: { ca: pushService.ca, lowerHttpThread: false } } });
    try {
      const alice = await userWithSocket(locked);
      const bob = await createTestUser(locked.deps);
      for (const endpoint of [pushService.subscription().endpoint, "https://10.1.2.3/push/x", "https://[::1]/push/x", "https://169.254.169.254/latest"]) {
        const res = await api(locked, bob, "/api/push/subscription", { method: "PUT", json: { ...pushService.subscription(), endpoint } });
        expect({ endpoint, status: res.status, error: ((await res.json()) as { error: string }).error }).toEqual({ endpoint, status: 400, error: "push_endpoint_refused" });
      }
      // A subscription that got in anyway (stored before the address changed): checked again before sending.
      const sneaky = pushService.subscription();
      await locked.sql.run(
        `INSERT INTO push_subscriptions (session_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
        bob.sessionId, bob.id, sneaky.endpoint, sneaky.keys.p256dh, sneaky.keys.auth, Date.now(),
      );
      const nodes = locked.nodes.map((node) => node.decorator.services.push);
      for (const push of nodes) await (push.notifier as unknown as { reload(): Promise<void> }).reload();
      const res = await api(locked, alice.user, "/api/dms", { json: { userIds: [bob.id] } });
      const roomId = ((await res.json()) as { room: Room }).room.id;
      await acceptInvitation(locked, bob, roomId);
      const opened = pushService.opened;
      await post(alice.socket, roomId, "hello?");
      for (const push of nodes) {
        await push.notifier.drained();
        await push.sender.idle();
      }
      expect(nodes.reduce((sum, push) => sum + push.sender.stats.refused, 0)).toBe(1);
      expect(pushService.opened).toBe(opened);
    } finally {
      await locked.stop();
    }
  });
});

async function countFor(userId: number): Promise<number> {
  return (await server.sql.get<{ n: number }>(`SELECT count(*) AS n FROM push_subscriptions WHERE user_id = ?`, userId))!.n;
}

async function loginAgain(user: TestUser): Promise<TestUser> {
  const { loginTestUser } = await import("../support/users.ts");
  return { ...user, ...(await loginTestUser(server.deps, user.id)) };
}
