// Web Push from the built binary, the "done when": with no tab open, a user is pushed another
// user's DM and @mention, by the compiled server itself, to a real (test) push service that checks
// the VAPID JWT and decrypts the payload with the keys the test made (test/support/push-service.ts).
// The binary trusts the test service's certificate through NODE_EXTRA_CA_CERTS and may reach it on
// 127.0.0.1 only because of VAULTROOM_PUSH_ALLOW_PRIVATE (--push-allow-private).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { startPushService, type PushService, type ReceivedPush } from "../support/push-service.ts";
import { tempDir } from "../support/app.ts";
import { uuid } from "../ws/client.ts";
import { call, publicRoom, register, socketOn } from "../cluster/client.ts";

setDefaultTimeout(60_000);

let pushService: PushService;
let node: RunningBinary;

beforeAll(async () => {
  pushService = await startPushService();
  const caFile = join(tempDir(), "push-ca.pem");
  writeFileSync(caFile, pushService.ca);
  node = await startBinary({ env: { VAULTROOM_PUSH_ALLOW_PRIVATE: "1", NODE_EXTRA_CA_CERTS: caFile } });
});
afterAll(async () => {
  await node?.stop();
  pushService?.stop();
});

/** The next push to `endpoint`, or a clear failure with the server's output. */
async function pushTo(endpoint: string, match: (push: ReceivedPush) => boolean): Promise<ReceivedPush> {
  const timeout = Bun.sleep(20_000).then(() => {
    throw new Error(`no push within 20 s; problems: ${pushService.problems.join("; ")}\n${node.output().slice(-3000)}`);
  });
  return Promise.race([pushService.next((p) => p.endpoint === endpoint && match(p)), timeout]);
}

test("the binary pushes a DM and an @mention to a closed tab's subscription, signed and encrypted; a plain room message is not pushed", async () => {
  const alice = await register(node);
  const bob = await register(node);
  const subscription = pushService.subscription();
  const subscribed = await call(node, "/api/push/subscription", { method: "PUT", json: subscription, cookie: bob.cookie });
  expect(subscribed.status).toBe(204);
  const { vapidPublicKey } = (await (await call(node, "/api/notifications", { cookie: bob.cookie })).json()) as { vapidPublicKey: string };

  // Bob has no socket at all (his tab is closed); Alice writes.
  const socket = await socketOn(node, alice);
  const dm = (await (await call(node, "/api/dms", { json: { userIds: [bob.id] }, cookie: alice.cookie })).json()) as { room: { id: number } };
  // They have never talked: the DM is a request until Bob accepts it (issue 21 §4), from another device.
  expect((await call(node, `/api/requests/${dm.room.id}/accept`, { method: "POST", cookie: bob.cookie })).status).toBe(200);
  const roomId = await publicRoom(node, alice, [bob]);
  const post = (room: number, body: string) => socket.ok({ type: "message.post", roomId: room, clientId: uuid(), body });

  await post(roomId, "a plain message in the room: rooms notify mentions only by default");
  const direct = await post(dm.room.id, "are you there?");
  const dmPush = await pushTo(subscription.endpoint, (p) => p.payload.messageId === direct.messageId);
  expect(dmPush.vapidKey).toBe(vapidPublicKey);
  expect(dmPush.jwt.aud).toBe(pushService.origin);
  expect(dmPush.jwt.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  expect(dmPush.headers.urgency).toBe("high");
  expect(dmPush.payload).toMatchObject({ kind: "message", roomId: dm.room.id, dm: true, mention: false, sender: alice.username, text: "are you there?" });

  const mention = await post(roomId, `@${bob.username} look at this`);
  const mentionPush = await pushTo(subscription.endpoint, (p) => p.payload.messageId === mention.messageId);
  expect(mentionPush.payload).toMatchObject({ kind: "message", roomId, dm: false, mention: true, sender: alice.username });
  expect(mentionPush.payload.text).toBe(`@${bob.username} look at this`);

  // Exactly those two: the plain room message (sent first) was never pushed.
  expect(pushService.to(subscription).map((p) => p.payload.messageId)).toEqual([
    direct.messageId,
    mention.messageId,
  ]);
  expect(pushService.problems).toEqual([]);
  socket.close();
});

test("pushes are encrypted and sent on a thread at a lower priority than the chat's", async () => {
  const alice = await register(node);
  const bob = await register(node);
  const subscription = pushService.subscription();
  expect((await call(node, "/api/push/subscription", { method: "PUT", json: subscription, cookie: bob.cookie })).status).toBe(204);
  const socket = await socketOn(node, alice);
  const dm = (await (await call(node, "/api/dms", { json: { userIds: [bob.id] }, cookie: alice.cookie })).json()) as { room: { id: number } };
  expect((await call(node, `/api/requests/${dm.room.id}/accept`, { method: "POST", cookie: bob.cookie })).status).toBe(200);
  const sent = await socket.ok({ type: "message.post", roomId: dm.room.id, clientId: uuid(), body: "ping" });
  await pushTo(subscription.endpoint, (p) => p.payload.messageId === sent.messageId);
  socket.close();
  // Bun's "HTTP Client" thread runs every push's TLS; once one push has gone, it is at nice 10 and
  // the event loop (the process's main thread) still at 0. Field 19 of a thread's stat is its nice
  // value; the name before it may hold spaces, so count from its end.
  const task = `/proc/${node.pid}/task`;
  const niceOf = (tid: string) => {
    const stat = readFileSync(`${task}/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  };
  const deadline = Date.now() + 5000;
  let http: string[] = [];
  while (Date.now() < deadline) {
    http = readdirSync(task).filter((tid) => readFileSync(`${task}/${tid}/comm`, "utf8").trim() === "HTTP Client");
    if (http.length > 0 && http.every((tid) => niceOf(tid) === 10)) break;
    await Bun.sleep(50);
  }
  expect(http.length).toBe(1);
  expect(niceOf(http[0]!)).toBe(10);
  expect(niceOf(String(node.pid))).toBe(0);
});

test("the VAPID key pair is made on first start and kept 0600 in the data directory", () => {
  const file = join(node.dataDir, "secrets.json");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const { vapid } = JSON.parse(readFileSync(file, "utf8")) as { vapid: { publicKey: string; privateKey: string } };
  expect(vapid.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  expect(vapid.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
});
