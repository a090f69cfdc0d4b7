// The notifier's shortcut for a message whose possible push recipients all have a visible tab: it
// is decided at once, without a query. What must hold is that a tab going hidden (or a new
// subscription) is seen by the very next message, however soon it comes.
import { describe, expect, test } from "bun:test";
import type { Announcement } from "../../src/announcements.ts";
import type { Store } from "../../src/db/store.ts";
import { createLogger } from "../../src/log.ts";
import type { Message } from "../../src/protocol.ts";
import { PushNotifier } from "../../src/push/notifier.ts";
import type { PushSender } from "../../src/push/sender.ts";
import { LocalVisibility } from "../../src/push/visibility.ts";

const ALICE = 1;
const BOB = 2;

function setup() {
  // Nothing here reaches a database or a push service: a message that may push is only queued.
  const store = { read: { get: async () => null, all: async () => [] } } as unknown as Store;
  const sender = { enqueue: () => {} } as unknown as PushSender;
  const visibility = new LocalVisibility();
  const notifier = new PushNotifier({ store, sender, visibility, logger: createLogger(() => {}) });
  const subscribed = (userId: number): Announcement[][] => [[{ kind: "event", to: { user: userId }, event: { type: "push.changed" } }]];
  let id = 0;
  const posted = (author: number): Announcement[][] => {
    const message: Message = { id: ++id, roomId: 1, author: { id: author, username: `u${author}`, displayName: null }, clientId: crypto.randomUUID(), body: "hi", createdAt: Date.now(), mentions: [] };
    return [[{ kind: "event", to: { room: 1 }, event: { type: "message.created", message } }]];
  };
  return { notifier, visibility, subscribed, posted };
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
