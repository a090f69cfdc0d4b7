// Group commit: work submitted together shares one transaction, and nobody hears "done" before
// that transaction is on disk.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { AppError } from "../../src/http/errors.ts";
import { WriteQueue } from "../../src/messages/write-queue.ts";

let dir: string;
let db: Database;
let reader: Database;
let queue: WriteQueue;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultroom-queue-"));
  const path = join(dir, "q.db");
  db = openDatabase(path, { migrate: false });
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
  // A second connection sees only what has been committed.
  reader = new Database(path, { readonly: true });
  queue = new WriteQueue(db);
});
afterEach(() => {
  reader.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (text: string) => () => db.query("INSERT INTO notes (text) VALUES (?) RETURNING id").get(text) as { id: number };
const committedCount = () => (reader.query("SELECT count(*) AS n FROM notes").get() as { n: number }).n;

describe("the write queue", () => {
  test("acknowledges only after the transaction has committed", async () => {
    let settled = false;
    let seenAtAnnounce = -1;
    const done = queue.submit(insert("hello"), () => {
      seenAtAnnounce = committedCount();
    });
    done.then(() => (settled = true));
    // Submitted, not yet written: nothing visible to other connections, nothing acknowledged.
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(committedCount()).toBe(0);
    const row = await done;
    expect(row.id).toBe(1);
    expect(seenAtAnnounce).toBe(1);
    expect(committedCount()).toBe(1);
  });

  test("writes everything submitted in the same turn in one transaction, in order", async () => {
    const order: number[] = [];
    const all = Array.from({ length: 500 }, (_, i) => queue.submit(insert(`n${i}`), () => order.push(i)));
    const rows = await Promise.all(all);
    expect(queue.stats.batches).toBe(1);
    expect(queue.stats.largestBatch).toBe(500);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const next = await queue.submit(insert("later"));
    expect(next.id).toBe(501);
    expect(queue.stats.batches).toBe(2);
  });

  test("a refused item gets its own error while the rest of its batch commits", async () => {
    const refused = new AppError(404, "room_not_found", "nope");
    const results = await Promise.allSettled([
      queue.submit(insert("a")),
      queue.submit(() => {
        throw refused;
      }),
      queue.submit(insert("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toBe(refused);
    expect(committedCount()).toBe(2);
    expect(queue.stats.batches).toBe(1);
  });

  test("an item that fails half-way is rolled back alone; the others still commit; nobody is acked early", async () => {
    const announced: string[] = [];
    const results = await Promise.allSettled([
      queue.submit(insert("first"), () => announced.push("first")),
      queue.submit(
        () => {
          insert("half")();
          insert("first")(); // UNIQUE violation after a write
        },
        () => announced.push("half"),
      ),
      queue.submit(insert("third"), () => announced.push("third")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(announced).toEqual(["first", "third"]);
    const texts = (reader.query("SELECT text FROM notes ORDER BY id").all() as { text: string }[]).map((r) => r.text);
    expect(texts).toEqual(["first", "third"]);
  });

  test("a failed after-commit announcement does not turn a durable write into an error", async () => {
    const reported: unknown[] = [];
    const reporting = new WriteQueue(db, { onAnnounceError: (error) => reported.push(error) });
    const row = await reporting.submit(insert("kept"), () => {
      throw new Error("broadcast failed");
    });
    expect(row.id).toBe(1);
    expect(reported).toHaveLength(1);
    expect(committedCount()).toBe(1);
  });

  test("close() writes what is pending and refuses new work", async () => {
    const pending = queue.submit(insert("in flight"));
    queue.close();
    expect(committedCount()).toBe(1);
    await pending;
    await expect(queue.submit(insert("too late"))).rejects.toMatchObject({ code: "shutting_down" });
  });
});
