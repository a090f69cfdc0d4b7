// The notifier's shortcut for a message whose possible push recipients all have a visible tab: it
// is decided at once, without a query. What must hold is that a tab going hidden (or a new
// subscription) is seen by the very next message, however soon it comes. And the queue of messages
// waiting for their decisions is bounded: a burst past it drops the oldest, counted.
import { describe, expect, test } from "bun:test";
import type { Announcement } from "../../src/announcements.ts";
import type { Store } from "../../src/db/store.ts";
import { createLogger } from "../../src/log.ts";
import type { Message } from "../../src/protocol.ts";
import { MAX_PENDING_MESSAGES, PushNotifier } from "../../src/push/notifier.ts";
import type { PushSender } from "../../src/push/sender.ts";
import { LocalVisibility } from "../../src/push/visibility.ts";

const ALICE = 1;
const BOB = 2;

function setup() {
  // Nothing here reaches a database or a push service: a message that may push is only queued.
  // Each message is in a room of its own number: the rooms read say which messages were decided.
  const roomsRead: unknown[] = [];
  const store = {
    read: {
      get: async (_statement: unknown, roomId: unknown) => {
        roomsRead.push(roomId);
        return null;
      },
      all: async () => [],
    },
  } as unknown as Store;
  const sender = { enqueue: () => {} } as unknown as PushSender;
  const visibility = new LocalVisibility();
  const notifier = new PushNotifier({ store, sender, visibility, logger: createLogger(() => {}) });
  const subscribed = (userId: number): Announcement[][] => [[{ kind: "event", to: { user: userId }, event: { type: "push.changed" } }]];
  let id = 0;
  const posted = (author: number): Announcement[][] => {
    const message: Message = { id: ++id, roomId: id, author: { id: author, username: `u${author}`, displayName: null }, clientId: crypto.randomUUID(), body: "hi", createdAt: Date.now(), mentions: [] };
    return [[{ kind: "event", to: { room: 1 }, event: { type: "message.created", message } }]];
  };
  return { notifier, visibility, subscribed, posted, roomsRead };
}

describe("a message whose possible recipients all look at the chat", () => {
  test("is skipped at once; the next one after a tab goes hidden is decided in full", async () => {
    const { notifier, visibility, subscribed, posted } = setup();
    notifier.delivered(subscribed(BOB));
    visibility.change(BOB, 1);
    notifier.committed(posted(ALICE));
    expect(notifier.stats).toMatchObject({ messages: 1, skipped: 1 });
    // Within the same millisecond: no time-based refresh can hide a missed change.
    visibility.change(BOB, -1);
    notifier.committed(posted(ALICE));
    await notifier.drained();
    expect(notifier.stats.messages).toBe(2);
    expect(notifier.stats.skipped).toBe(1);
    notifier.close();
  });

  test("a new subscriber is seen by the next message; the author alone never counts", async () => {
    const { notifier, visibility, subscribed, posted } = setup();
    notifier.delivered(subscribed(ALICE));
    notifier.committed(posted(ALICE));
    expect(notifier.stats).toMatchObject({ messages: 1, skipped: 1 });
    notifier.delivered(subscribed(BOB));
    notifier.committed(posted(ALICE));
    await notifier.drained();
    expect(notifier.stats).toMatchObject({ messages: 2, skipped: 1 });
    visibility.change(BOB, 1);
    notifier.committed(posted(ALICE));
    expect(notifier.stats).toMatchObject({ messages: 3, skipped: 2 });
    notifier.close();
  });
});

describe("messages waiting for their decisions", () => {
  test(`are at most ${MAX_PENDING_MESSAGES}: one more drops the oldest (counted), and the rest are all decided`, async () => {
    const { notifier, subscribed, posted, roomsRead } = setup();
    notifier.delivered(subscribed(BOB));
    // One burst, in one turn of the event loop: nothing is decided before it ends.
    for (let i = 0; i <= MAX_PENDING_MESSAGES; i++) notifier.committed(posted(ALICE));
    expect(notifier.stats.dropped).toBe(1);
    await notifier.drained();
    expect(notifier.stats).toMatchObject({ messages: MAX_PENDING_MESSAGES, dropped: 1 });
    // The first message is the one dropped; the last is decided.
    expect([roomsRead[0], roomsRead.at(-1), roomsRead.length]).toEqual([2, MAX_PENDING_MESSAGES + 1, MAX_PENDING_MESSAGES]);
    notifier.close();
  });
});
