// The cluster bus applies every committed batch exactly once, in order, whether it is heard over
// Redis or read back from the outbox. The cluster bench found batches delivered twice: an outbox read
// that was on its way while Redis delivered the same batches came back with rows the node had
// already applied, took the first of them for a gap, moved its mark back and applied them again.
import { expect, test } from "bun:test";
import type { Announcement } from "../../src/announcements.ts";
import { ClusterBus } from "../../src/cluster/bus.ts";
import type { RedisLink } from "../../src/cluster/redis-link.ts";
import type { Conn } from "../../src/db/store.ts";
import { silentLogger } from "../../src/log.ts";

const batchFor = (seq: number): Announcement[][] => [[{ kind: "event", to: { room: 1 }, event: { type: "typing", roomId: 1, user: { id: seq, username: `u${seq}`, displayName: null } } } as unknown as Announcement]];

test("batches heard over Redis while an outbox read is on its way are not applied again when it returns", async () => {
  let hear: (message: string) => void = () => {};
  const link = { state: "up", name: (suffix: string) => suffix, on: (_channel: string, handler: (message: string) => void) => (hear = handler), publish: async () => true };
  const outbox = [1, 2, 3].map((seq) => ({ seq, body: JSON.stringify(batchFor(seq)) }));
  let answerRead: () => void = () => {};
  const reads: number[] = [];
  const db = {
    get: async () => ({ seq: 0 }),
    all: (_query: unknown, after: number) => {
      reads.push(after);
      return new Promise((resolve) => (answerRead = () => resolve(outbox.filter((row) => row.seq > after))));
    },
  };
  const applied: number[] = [];
  const bus = new ClusterBus({
    nodeId: "here",
    link: link as unknown as RedisLink,
    db: db as unknown as Conn,
    logger: silentLogger,
    local: { deliver: (_batch, seq) => void applied.push(seq!) },
    resyncAll: () => {
      throw new Error("no resync expected");
    },
  });
  await bus.start();
  const publish = (seq: number) => hear(JSON.stringify({ seq, node: "there", batch: batchFor(seq) }));

  // Batch 2 arrives before 1: after a short wait the node reads the outbox from its mark (0)…
  publish(2);
  const reading = bus.catchUp();
  expect(reads).toEqual([0]);
  // …and while that read is on its way, Redis brings 1 and 3: all three are applied in order.
  publish(1);
  publish(3);
  expect(applied).toEqual([1, 2, 3]);
  // The read comes back with 1, 2 and 3: nothing is applied twice.
  answerRead();
  await reading;
  expect(applied).toEqual([1, 2, 3]);
  bus.close();
});

test("a committed batch is published as {seq, node, batch}, reusing the outbox's JSON of it", async () => {
  const published: string[] = [];
  const link = { state: "up", name: (suffix: string) => suffix, on: () => {}, publish: async (_channel: string, message: string) => void published.push(message) };
  const db = { get: async () => ({ seq: 0 }), all: async () => [] };
  const bus = new ClusterBus({
    nodeId: 'node "a"\n',
    link: link as unknown as RedisLink,
    db: db as unknown as Conn,
    logger: silentLogger,
    local: { deliver: () => {} },
    resyncAll: () => {},
  });
  await bus.start();
  const batch = batchFor(7);
  bus.deliver(batch, 1, JSON.stringify(batch));
  bus.deliver(batchFor(8), 2);
  expect(published.map((message) => JSON.parse(message))).toEqual([
    { seq: 1, node: 'node "a"\n', batch },
    { seq: 2, node: 'node "a"\n', batch: batchFor(8) },
  ]);
  bus.close();
});
