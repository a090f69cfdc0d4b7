// Group commit (src/db/write-queue.ts): commands submitted together share one transaction; nobody
// hears "done", and no announcement leaves, before that transaction has committed. Driven here on a
// real SQLite file with the same engine hooks the embedded store uses, and watched from a second,
// read-only connection that sees only what is committed.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Announcement } from "../../src/announcements.ts";
import { sql } from "../../src/db/query.ts";
import { SqliteConn } from "../../src/db/sqlite/connection.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { command, type Command, type Tx } from "../../src/db/store.ts";
import type { EngineHooks } from "../../src/db/batch.ts";
import { localRunner } from "../../src/db/local-runner.ts";
import { WriteQueue, type WriteQueueOptions } from "../../src/db/write-queue.ts";
import { AppError, DatabaseUnavailable } from "../../src/errors.ts";

let dir: string;
let db: Database;
let reader: Database;

/** What the engine was asked to do: transactions begun, committed and rolled back. */
let log: { begun: number; committed: number; rolledBack: number };
/** When set, a transaction waits for it after its work, before COMMIT. */
let beforeCommit: (() => Promise<void>) | null;
/** Every batch the announcer received, with what another connection could see at that moment. */
let delivered: { batch: Announcement[][]; seq: number | null; committedRows: number }[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultroom-queue-"));
  const path = join(dir, "q.db");
  db = openDatabase(path, { migrate: false });
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
  // A second connection sees only what has been committed (WAL).
  reader = new Database(path, { readonly: true });
  log = { begun: 0, committed: 0, rolledBack: 0 };
  beforeCommit = null;
  delivered = [];
});
afterEach(() => {
  reader.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The embedded store's engine hooks (db/sqlite/store.ts), counting what they do. */
function hooks(): EngineHooks {
  const conn = new SqliteConn(db);
  return {
    async transaction(work) {
      log.begun++;
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(conn);
        if (beforeCommit) await beforeCommit();
        db.exec("COMMIT");
        log.committed++;
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        log.rolledBack++;
        throw error;
      }
    },
  };
}

function newQueue(options: WriteQueueOptions = {}): WriteQueue {
  const queue = new WriteQueue(localRunner(hooks()), options);
  queue.setAnnouncer({
    deliver(batch, seq) {
      delivered.push({ batch: batch.map((items) => [...items]), seq, committedRows: committedCount() });
    },
  });
  return queue;
}

const committedCount = () => (reader.query("SELECT count(*) AS n FROM notes").get() as { n: number }).n;
const committedTexts = () => (reader.query("SELECT text FROM notes ORDER BY id").all() as { text: string }[]).map((r) => r.text);

const insertNote = sql<{ id: number }, [string]>("INSERT INTO notes (text) VALUES (?) RETURNING id");
const said = (text: string): Announcement => ({ kind: "log", level: "info", event: "note", fields: { text } });
const texts = (batch: Announcement[][]) => batch.map((items) => items.map((item) => (item.kind === "log" ? item.fields.text : item.kind)));

async function addNote(tx: Tx, text: string): Promise<number> {
  const id = (await tx.get(insertNote, text))!.id;
  tx.announce(said(text));
  return id;
}

/** The common command: insert a note, announce it. */
const add = command("test.add", addNote);

/** Checks first, then refuses (as every command's checks do): announces nothing, writes nothing. */
const refuse = command("test.refuse", async (_tx, error: AppError): Promise<number> => {
  throw error;
});

/** Breaks the rule on purpose: announces, then is refused. Its announcement must not leave. */
const announceThenRefuse = command("test.announceThenRefuse", async (tx, text: string): Promise<number> => {
  tx.announce(said(text));
  throw new AppError(409, "username_taken", "changed my mind");
});

/** Fails half-way with a database error: a write, then a UNIQUE violation. */
const halfWay = command("test.halfWay", async (tx, input: { first: string; clash: string }) => {
  await addNote(tx, input.first);
  return addNote(tx, input.clash);
});

/** Loses the database mid-command, as a dropped Postgres connection would. */
const unavailable = command("test.unavailable", async (tx, text: string): Promise<number> => {
  await addNote(tx, text);
  throw new DatabaseUnavailable("connection lost");
});

describe("the write queue", () => {
  test("acknowledges only after the transaction has committed", async () => {
    const queue = newQueue();
    let settled = false;
    let seenInside = -1;
    let seenAtCommitted = -1;
    const observe: Command<string, number> = { name: "test.observe", run: async (tx, text: string) => {
      const id = await addNote(tx, text);
      // Written in the open transaction: not visible to any other connection yet.
      seenInside = committedCount();
      return id;
    } };
    const done = queue.submit(observe, "hello", { committed: () => (seenAtCommitted = committedCount()) });
    done.then(() => (settled = true));
    // Submitted, not yet run: nothing visible, nothing acknowledged.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(settled).toBe(false);
    expect(log.begun).toBe(0);
    expect(committedCount()).toBe(0);
    expect(await done).toBe(1);
    expect(seenInside).toBe(0);
    expect(seenAtCommitted).toBe(1);
    expect(delivered).toEqual([{ batch: [[said("hello")]], seq: null, committedRows: 1 }]);
    expect(committedCount()).toBe(1);
  });

  test("commands submitted in the same turn share one transaction and run in order", async () => {
    const queue = newQueue();
    const order: number[] = [];
    const all = Array.from({ length: 500 }, (_, i) => queue.submit(add, `n${i}`, { committed: () => order.push(i) }));
    const ids = await Promise.all(all);
    expect(log).toEqual({ begun: 1, committed: 1, rolledBack: 0 });
    expect(queue.stats).toEqual({ batches: 1, items: 500, largestBatch: 500 });
    expect(ids).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // One delivery for the batch, each command's announcements in commit order.
    expect(delivered).toHaveLength(1);
    expect(texts(delivered[0]!.batch)).toEqual(Array.from({ length: 500 }, (_, i) => [`n${i}`]));
    expect(delivered[0]!.committedRows).toBe(500);
    expect(await queue.submit(add, "later")).toBe(501);
    expect(queue.stats.batches).toBe(2);
    expect(log.committed).toBe(2);
  });

  test("a refused command gets its own error while the rest of its batch commits, without a retry", async () => {
    const queue = newQueue();
    const refused = new AppError(404, "room_not_found", "nope");
    const results = await Promise.allSettled([
      queue.submit(add, "a"),
      queue.submit(refuse, refused),
      queue.submit(announceThenRefuse, "never said"),
      queue.submit(add, "b"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(refused);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: "username_taken" });
    expect(committedTexts()).toEqual(["a", "b"]);
    // One transaction: a refusal is an answer, not a failure of the batch.
    expect(log).toEqual({ begun: 1, committed: 1, rolledBack: 0 });
    expect(queue.stats.batches).toBe(1);
    // The refused commands' announcements are dropped with them.
    expect(delivered.map((d) => texts(d.batch))).toEqual([[["a"], ["b"]]]);
  });

  test("a command that fails half-way aborts the batch, which is retried item by item: the others commit, it leaves nothing", async () => {
    const queue = newQueue();
    await queue.submit(add, "taken");
    delivered = [];
    const before = { ...log };
    const acked: string[] = [];
    const results = await Promise.allSettled([
      queue.submit(add, "first", { committed: () => acked.push(`first saw ${committedCount()}`) }),
      queue.submit(halfWay, { first: "half", clash: "taken" }, { committed: () => acked.push("half") }),
      queue.submit(add, "third", { committed: () => acked.push(`third saw ${committedCount()}`) }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain("UNIQUE");
    // Nothing of the failed command, not even its first write.
    expect(committedTexts()).toEqual(["taken", "first", "third"]);
    // The shared attempt, rolled back; then one transaction per item, the bad one rolled back again.
    expect({ begun: log.begun - before.begun, committed: log.committed - before.committed, rolledBack: log.rolledBack - before.rolledBack }).toEqual({
      begun: 4,
      committed: 2,
      rolledBack: 2,
    });
    // Nobody heard back from the aborted attempt: every ack came after its own item's commit.
    expect(acked).toEqual(["first saw 3", "third saw 3"]);
    // Each retried item's announcements leave after its own commit, in order; the failed one's never.
    expect(delivered.map((d) => texts(d.batch))).toEqual([[["first"]], [["third"]]]);
    // Each after its own commit (the retries commit one by one; the first row was committed before).
    expect(delivered[0]!.committedRows).toBeGreaterThanOrEqual(2);
    expect(delivered[1]!.committedRows).toBe(3);
  });

  test("DatabaseUnavailable fails the whole batch at once, without retrying item by item", async () => {
    const queue = newQueue();
    const results = await Promise.allSettled([queue.submit(add, "a"), queue.submit(unavailable, "b"), queue.submit(add, "c")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseUnavailable);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(log).toEqual({ begun: 1, committed: 0, rolledBack: 1 });
    expect(committedCount()).toBe(0);
    expect(delivered).toEqual([]);
    // The queue goes on with the next batch.
    expect(await queue.submit(add, "after")).toBeGreaterThan(0);
    expect(committedTexts()).toEqual(["after"]);
  });

  test("a DatabaseUnavailable from the engine itself (at COMMIT) fails the batch the same way", async () => {
    const queue = newQueue();
    beforeCommit = async () => {
      beforeCommit = null;
      throw new DatabaseUnavailable("commit lost");
    };
    const results = await Promise.allSettled([queue.submit(add, "a"), queue.submit(add, "b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(log).toEqual({ begun: 1, committed: 0, rolledBack: 1 });
    expect(committedCount()).toBe(0);
    expect(delivered).toEqual([]);
  });

  test("announcements are delivered after the commit and before any submitter hears back, in commit order", async () => {
    const queue = newQueue();
    const heard: string[] = [];
    const both: Command<string, number> = { name: "test.both", run: async (tx, text: string) => {
      const id = await addNote(tx, text);
      tx.announce({ kind: "user.changed", userId: id });
      return id;
    } };
    queue.setAnnouncer({
      deliver(batch, seq) {
        heard.push(`delivered ${JSON.stringify(texts(batch.map((items) => [...items])))} with ${committedCount()} committed`);
        delivered.push({ batch: batch.map((items) => [...items]), seq, committedRows: committedCount() });
      },
    });
    const all = ["x", "y", "z"].map((text) => queue.submit(both, text, { committed: () => heard.push(`committed ${text}`) }).then(() => heard.push(`resolved ${text}`)));
    await Promise.all(all);
    expect(heard).toEqual([
      'delivered [["x","user.changed"],["y","user.changed"],["z","user.changed"]] with 3 committed',
      "committed x",
      "committed y",
      "committed z",
      "resolved x",
      "resolved y",
      "resolved z",
    ]);
  });

  test("one batch is in flight at a time; what arrives meanwhile forms the next one", async () => {
    const queue = newQueue();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    beforeCommit = () => {
      beforeCommit = null;
      return gate;
    };
    const ran: string[] = [];
    const track: Command<string, number> = { name: "test.track", run: async (tx, text: string) => {
      ran.push(text);
      return addNote(tx, text);
    } };
    const first = queue.submit(track, "first");
    // Let the first batch start and reach its COMMIT, which waits at the gate.
    while (log.begun === 0) await Bun.sleep(1);
    const second = queue.submit(track, "second");
    await Bun.sleep(5); // several loop turns: the second must still wait
    const third = queue.submit(track, "third");
    await Bun.sleep(5);
    expect(log.begun).toBe(1);
    expect(ran).toEqual(["first"]);
    expect(committedCount()).toBe(0);
    open();
    expect(await Promise.all([first, second, third])).toEqual([1, 2, 3]);
    // The two that waited share the second transaction.
    expect(log).toEqual({ begun: 2, committed: 2, rolledBack: 0 });
    expect(queue.stats).toEqual({ batches: 2, items: 3, largestBatch: 2 });
    expect(delivered.map((d) => texts(d.batch))).toEqual([[["first"]], [["second"], ["third"]]]);
  });

  test("a failed delivery or callback does not turn a durable write into an error", async () => {
    const reported: unknown[] = [];
    const queue = newQueue({ onAnnounceError: (error) => reported.push(error) });
    queue.setAnnouncer({
      deliver() {
        throw new Error("broadcast failed");
      },
    });
    const id = await queue.submit(add, "kept", {
      committed: () => {
        throw new Error("callback failed");
      },
    });
    expect(id).toBe(1);
    expect(reported.map(String)).toEqual(["Error: broadcast failed", "Error: callback failed"]);
    expect(committedCount()).toBe(1);
  });

  test("close() writes what is pending and refuses new work", async () => {
    const queue = newQueue();
    const pending = queue.submit(add, "queued");
    await queue.close();
    expect(committedCount()).toBe(1);
    expect(await pending).toBe(1);
    await expect(queue.submit(add, "too late")).rejects.toMatchObject({ code: "shutting_down" });
    expect(committedCount()).toBe(1);
  });
});
