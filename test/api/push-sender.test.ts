// What the push sender does with each answer of a push service (src/push/sender.ts), against the
// real test push service (VAPID checked, payloads decrypted): 2xx is sent; 5xx and 429 are retried
// with backoff (Retry-After honoured), MAX_ATTEMPTS times in all; another 4xx or a redirect is a
// failure, never retried or followed; 404/410 forget the subscription; a full queue drops the push,
// never blocks.
import { afterAll, beforeAll, expect, test } from "bun:test";
import webpush from "web-push";
import { silentLogger } from "../../src/log.ts";
import { MAX_ATTEMPTS, PushSender, type PushSenderOptions } from "../../src/push/sender.ts";
import type { PushTarget } from "../../src/push/subscriptions.ts";
import { startPushService, type PushService, type TestSubscription } from "../support/push-service.ts";

let service: PushService;
const vapid = webpush.generateVAPIDKeys();

beforeAll(async () => {
  service = await startPushService();
});
afterAll(() => service.stop());

function senderWith(options: Partial<PushSenderOptions> = {}): { sender: PushSender; gone: PushTarget[] } {
  const gone: PushTarget[] = [];
  const sender = new PushSender({
    vapid,
    subject: "mailto:ops@example.test",
    allowPrivate: true,
    logger: silentLogger,
    onGone: async (target) => {
      gone.push(target);
    },
    ca: service.ca,
    retryBaseMs: 50,
    lowerHttpThread: false,
    ...options,
  });
  return { sender, gone };
}

let nextId = 1;
const targetOf = (subscription: TestSubscription): PushTarget => ({ id: nextId++, userId: 1, endpoint: subscription.endpoint, ...subscription.keys });
const push = (sender: PushSender, subscription: TestSubscription) =>
  sender.enqueue({ target: targetOf(subscription), payload: JSON.stringify({ hello: subscription.endpoint }), urgency: "normal", ttl: 60 });

test("2xx answers are sent, once", async () => {
  const { sender } = senderWith();
  const answers = [200, 201, 202].map((status) => service.subscription({ status }));
  for (const subscription of answers) push(sender, subscription);
  await sender.idle();
  expect(sender.stats).toMatchObject({ sent: 3, retried: 0, failed: 0 });
  expect(answers.map((subscription) => service.arrivalsAt(subscription).length)).toEqual([1, 1, 1]);
  sender.close();
});

test("a 5xx is retried with backoff until the push service takes it", async () => {
  const { sender } = senderWith();
  const flaky = service.subscription({ status: 503, times: 2 });
  push(sender, flaky);
  await sender.idle();
  expect(sender.stats).toMatchObject({ sent: 1, retried: 2, failed: 0 });
  const at = service.arrivalsAt(flaky);
  expect(at).toHaveLength(3);
  // Backoff: at least half of 50 ms, then of 100 ms (jittered between half and all of it).
  expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(20);
  expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(45);
  sender.close();
});

test(`a push service that keeps failing is tried ${MAX_ATTEMPTS} times in all, then given up`, async () => {
  const { sender } = senderWith();
  const down = service.subscription({ status: 500 });
  push(sender, down);
  await sender.idle();
  expect(service.arrivalsAt(down)).toHaveLength(MAX_ATTEMPTS);
  expect(sender.stats).toMatchObject({ sent: 0, retried: MAX_ATTEMPTS - 1, failed: 1 });
  sender.close();
});

test("a 429 waits as long as Retry-After says", async () => {
  const { sender } = senderWith();
  const busy = service.subscription({ status: 429, times: 1, retryAfter: 1 });
  push(sender, busy);
  await sender.idle();
  const at = service.arrivalsAt(busy);
  expect(at).toHaveLength(2);
  // One second asked for, against a backoff of 25–50 ms otherwise.
  expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  expect(sender.stats).toMatchObject({ sent: 1, retried: 1 });
  sender.close();
});

test("another 4xx, or a redirect, is a failure: not retried, not followed", async () => {
  const { sender } = senderWith();
  const refused = service.subscription({ status: 400 });
  const moved = service.subscription({ status: 300 });
  push(sender, refused);
  push(sender, moved);
  await sender.idle();
  expect([service.arrivalsAt(refused).length, service.arrivalsAt(moved).length]).toEqual([1, 1]);
  expect(sender.stats).toMatchObject({ sent: 0, retried: 0, failed: 2 });
  sender.close();
});

test("404 and 410 mean the subscription is gone: it is forgotten, not retried", async () => {
  const { sender, gone } = senderWith();
  const notFound = service.subscription({ status: 404 });
  const removed = service.subscription({ status: 410 });
  push(sender, notFound);
  push(sender, removed);
  await sender.idle();
  expect(gone.map((target) => target.endpoint).sort()).toEqual([notFound.endpoint, removed.endpoint].sort());
  expect(sender.stats).toMatchObject({ gone: 2, retried: 0 });
  sender.close();
});

test("a full queue drops the push (counted) instead of waiting; a closed sender takes nothing", async () => {
  const { sender } = senderWith({ maxQueue: 2, concurrency: 1, perOrigin: 1 });
  const slow = service.subscription("hang");
  // enqueue() answers at once; requests start on a later turn, so all four meet a queue of two.
  const results = Array.from({ length: 4 }, () => push(sender, slow));
  expect(results).toEqual([true, true, false, false]);
  expect(sender.stats.dropped).toBe(2);
  sender.close();
  expect(push(sender, service.subscription())).toBe(false);
  service.release();
});

test("a name checked as public is sent to the address checked, never to the one a second lookup gives (DNS rebinding)", async () => {
  // The name answers a public address to the first lookup and loopback to every later one, as a
  // rebinding DNS server would; the test push service listens on loopback, its certificate names localhost.
  let lookups = 0;
  const resolve = async () => (lookups++ === 0 ? ["93.184.215.14"] : ["127.0.0.1"]);
  const { sender } = senderWith({ allowPrivate: false, resolve, timeoutMs: 1000 });
  const inside = service.subscription();
  const endpoint = `https://localhost:${new URL(inside.endpoint).port}${new URL(inside.endpoint).pathname}`;
  sender.enqueue({ target: { ...targetOf(inside), endpoint }, payload: JSON.stringify({ secret: "for the inside" }), urgency: "normal", ttl: 60 });
  await sender.idle();
  // The public address checked could not take it here; the next attempt's check met loopback and refused it.
  expect(service.arrivalsAt(inside)).toEqual([]);
  expect(sender.stats).toMatchObject({ sent: 0, refused: 1 });
  sender.close();
});

test("at most `concurrency` requests are open at once, and at most `perOrigin` to one push service", async () => {
  for (const limits of [{ concurrency: 1, perOrigin: 8 }, { concurrency: 8, perOrigin: 1 }]) {
    const { sender } = senderWith(limits);
    const before = service.hangingCount;
    for (const slow of [service.subscription("hang"), service.subscription("hang")]) push(sender, slow);
    while (service.hangingCount === before) await Bun.sleep(5);
    // Were the limit not kept, both would have started in the sender's first batch, in one turn.
    expect({ limits, inFlight: sender.stats.inFlight, queued: sender.stats.queued }).toEqual({ limits, inFlight: 1, queued: 1 });
    service.release();
    await sender.idle();
    expect(sender.stats.sent).toBe(2);
    sender.close();
  }
});
