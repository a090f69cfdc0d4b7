// The push sender paces its work (src/push/sender.ts, limits/pacer.ts): a burst starts in batches
// with rests between them, so the event loop is free for the chat's frames, and a push after a
// quiet spell still starts at once. Against the real test push service (VAPID checked, payloads
// decrypted), with pacing settings fixed so the rests are long enough to see.
import { afterAll, beforeAll, expect, test } from "bun:test";
import webpush from "web-push";
import { silentLogger } from "../../src/log.ts";
import type { PacerOptions } from "../../src/limits/pacer.ts";
import { PushSender } from "../../src/push/sender.ts";
import type { PushTarget } from "../../src/push/subscriptions.ts";
import { startPushService, type PushService } from "../support/push-service.ts";

let service: PushService;
const vapid = webpush.generateVAPIDKeys();

beforeAll(async () => {
  service = await startPushService();
});
afterAll(() => service.stop());

/** Batches of `size`, each followed by a rest of exactly `restMs` whatever the load. */
const fixedPace = (size: number, restMs: number): PacerOptions => ({
  initial: size, min: size, max: size, targetMs: 2, minFactor: 1e6, maxFactor: 1e6, busyShare: 1, minPauseMs: restMs, maxPauseMs: restMs,
});

function senderWith(pace: PacerOptions): PushSender {
  return new PushSender({ vapid, subject: "mailto:ops@example.test", allowPrivate: true, logger: silentLogger, onGone: async () => {}, ca: service.ca, pace, lowerHttpThread: false });
}

let nextId = 1;
function target(): PushTarget {
  const subscription = service.subscription();
  return { id: nextId++, userId: 1, endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth };
}

test("a burst starts in batches with rests between them, and every push arrives", async () => {
  const sender = senderWith(fixedPace(2, 150));
  const targets = Array.from({ length: 8 }, target);
  const arrivals: number[] = [];
  const started = performance.now();
  for (const [i, t] of targets.entries()) {
    expect(sender.enqueue({ target: t, payload: JSON.stringify({ n: i }), urgency: "normal", ttl: 60 })).toBe(true);
  }
  await Promise.all(targets.map((t) => service.next((push) => push.endpoint === t.endpoint).then(() => arrivals.push(performance.now() - started))));
  await sender.idle();
  expect(sender.stats.sent).toBe(8);
  expect(service.problems).toEqual([]);
  // Four batches of two, three rests of 150 ms: the last push cannot arrive before 450 ms (unpaced,
  // all eight are out in a few tens of ms). A slow machine only makes it later.
  arrivals.sort((a, b) => a - b);
  expect(arrivals.at(-1)!).toBeGreaterThanOrEqual(450);
  sender.close();
});

test("the event loop turns freely during a burst's rests", async () => {
  const sender = senderWith(fixedPace(1, 100));
  const targets = Array.from({ length: 4 }, target);
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  for (const t of targets) sender.enqueue({ target: t, payload: "{}", urgency: "normal", ttl: 60 });
  await sender.idle();
  clearInterval(ticker);
  expect(sender.stats.sent).toBe(4);
  // Three rests of 100 ms: dozens of 10 ms ticks ran meanwhile.
  expect(ticks).toBeGreaterThanOrEqual(15);
  sender.close();
});

test("a push after a quiet spell starts at once, not after a rest", async () => {
  const rest = 2000;
  const sender = senderWith(fixedPace(1, rest));
  // The first push's request hangs, so its batch is still the last one when the next push comes.
  const hanging = service.subscription("hang");
  sender.enqueue({ target: { id: nextId++, userId: 1, endpoint: hanging.endpoint, ...hanging.keys }, payload: "{}", urgency: "high", ttl: 60 });
  while (service.hangingCount === 0) await Bun.sleep(10);
  // Quiet for longer than the rest: the next push owes nothing.
  await Bun.sleep(rest + 100);
  const second = target();
  const enqueued = performance.now();
  sender.enqueue({ target: second, payload: "{}", urgency: "high", ttl: 60 });
  await service.next((push) => push.endpoint === second.endpoint);
  expect(performance.now() - enqueued).toBeLessThan(rest);
  service.release();
  await sender.idle();
  expect(sender.stats.sent).toBe(2);
  sender.close();
});
