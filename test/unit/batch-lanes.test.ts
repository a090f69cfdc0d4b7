// Commands side by side in one transaction (src/db/batch.ts, Command.lanes): an engine that says
// `concurrent` (Postgres, whose statements travel to a server) runs commands of different lanes
// together, so that their round trips overlap; commands sharing a lane still run in submission order,
// a command without lanes runs alone, and a command failing outright lets nothing else start and
// nothing run past the rollback. Driven on a real SQLite file whose connection answers
// asynchronously, like Postgres's, so that the commands really interleave at every statement.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executeBatch, type BatchJob, type EngineHooks, type EngineTx } from "../../src/db/batch.ts";
import { sql, type Query } from "../../src/db/query.ts";
import { SqliteConn } from "../../src/db/sqlite/connection.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { command } from "../../src/db/store.ts";
import { AppError } from "../../src/errors.ts";

let dir: string;
let db: Database;
/** What happened, in order: "start:A", "end:A", "BEGIN", "COMMIT", "ROLLBACK", "outside:A". */
let seen: string[];
let inTransaction: boolean;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "vaultroom-lanes-"));
  db = openDatabase(join(dir, "l.db"), { migrate: false });
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)");
  seen = [];
  inTransaction = false;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A connection that answers after a macrotask, as a server would: commands interleave at each statement. */
class RemoteLike implements EngineTx {
  readonly engine = "postgres" as const;
  private readonly conn = new SqliteConn(db);
  private async later<T>(who: string, work: () => Promise<T>): Promise<T> {
    if (!inTransaction) seen.push(`outside:${who}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return work();
  }
  get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    return this.later(String(params[0]), () => this.conn.get(query, ...params));
  }
  all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    return this.later(String(params[0]), () => this.conn.all(query, ...params));
  }
  run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    return this.later(String(params[0]), () => this.conn.run(query, ...params));
  }
}

function engine(concurrent: boolean): EngineHooks {
  const tx = new RemoteLike();
  return {
    concurrent,
    async transaction(work) {
      db.exec("BEGIN IMMEDIATE");
      inTransaction = true;
      seen.push("BEGIN");
      try {
        const result = await work(tx);
        db.exec("COMMIT");
        seen.push("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        seen.push("ROLLBACK");
        throw error;
      } finally {
        inTransaction = false;
      }
    },
  };
}

const insertNote = sql<{ id: number }, [string]>("INSERT INTO notes (text) VALUES (?) RETURNING id");
const noteCount = sql<{ n: number }, [string]>("SELECT count(*) AS n FROM notes WHERE text <> ?");

interface Step {
  name: string;
  lanes?: string[];
  /** Statements before the insert (each a round trip). */
  reads?: number;
  /** Throws this after its reads: an AppError is its own answer, anything else loses the batch. */
  fail?: Error;
}

/** Records when it starts and ends; reads, then inserts a note named after it. */
const step = command(
  "test.lanes.step",
  async (tx, input: Step) => {
    seen.push(`start:${input.name}`);
    for (let i = 0; i < (input.reads ?? 1); i++) await tx.get(noteCount, input.name);
    if (input.fail) throw input.fail;
    const { id } = (await tx.get(insertNote, input.name))!;
    seen.push(`end:${input.name}`);
    return id;
  },
  { lanes: (input) => input.lanes },
);

const jobs = (...steps: Step[]): BatchJob[] => steps.map((input) => ({ command: step, input }));
const at = (event: string) => {
  const i = seen.indexOf(event);
  if (i < 0) throw new Error(`never happened: ${event} (saw ${seen.join(", ")})`);
  return i;
};
const stored = () => (db.query("SELECT text FROM notes ORDER BY id").all() as { text: string }[]).map((r) => r.text);

test("commands of different lanes run side by side, those sharing a lane in order, one without lanes alone", async () => {
  const result = await executeBatch(
    engine(true),
    jobs(
      { name: "A", lanes: ["room:1", "user:1"], reads: 3 },
      { name: "B", lanes: ["room:2", "user:2"] },
      { name: "C", lanes: ["room:1", "user:3"] },
      { name: "D" },
      { name: "E", lanes: ["room:3", "user:2"] },
    ),
  );
  // B started while A was still working; C (A's room) only after A; D after all three; E after D.
  expect(at("start:B")).toBeLessThan(at("end:A"));
  expect(at("start:C")).toBeGreaterThan(at("end:A"));
  expect(at("start:D")).toBeGreaterThan(Math.max(at("end:A"), at("end:B"), at("end:C")));
  expect(at("start:E")).toBeGreaterThan(at("end:D"));
  // Answers in submission order, one transaction, all committed.
  expect(result.outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true]);
  expect(result.commits).toEqual([{ from: 0, to: 5, seq: null }]);
  expect(seen.filter((e) => e === "BEGIN" || e === "COMMIT")).toEqual(["BEGIN", "COMMIT"]);
  const ids = result.outcomes.map((o) => (o.ok ? (o.value as number) : 0));
  expect(ids[2]).toBeGreaterThan(ids[0]!); // one lane: C's row after A's
  expect(ids[4]).toBeGreaterThan(ids[3]!); // after a command without lanes
});

test("an engine that is not concurrent runs every command in order, lanes or not", async () => {
  await executeBatch(engine(false), jobs({ name: "A", lanes: ["x"], reads: 3 }, { name: "B", lanes: ["y"] }));
  expect(seen).toEqual(["BEGIN", "start:A", "end:A", "start:B", "end:B", "COMMIT"]);
});

test("a refused command answers for itself while the ones beside it commit", async () => {
  const refused = new AppError(404, "room_not_found", "no such room");
  const result = await executeBatch(engine(true), jobs({ name: "A", lanes: ["a"], reads: 2 }, { name: "B", lanes: ["b"], fail: refused }, { name: "C", lanes: ["c"] }));
  expect(result.outcomes.map((o) => (o.ok ? "ok" : (o.error as AppError).code))).toEqual(["ok", "room_not_found", "ok"]);
  // Side by side: C (one read) may be stored before A (two).
  expect(stored().sort()).toEqual(["A", "C"]);
});

test("a command failing outright lets nothing more start, waits for those running, and the batch is retried item by item", async () => {
  const result = await executeBatch(
    engine(true),
    jobs(
      { name: "A", lanes: ["room:1"], reads: 4 },
      { name: "B", lanes: ["room:2"], fail: new Error("disk on fire") },
      { name: "C", lanes: ["room:1"] },
      { name: "D" },
    ),
  );
  // No statement ran outside the transaction: A finished before the rollback, C and D never started in it.
  expect(seen.filter((e) => e.startsWith("outside:"))).toEqual([]);
  const rollback = at("ROLLBACK");
  expect(at("end:A")).toBeLessThan(rollback);
  expect(seen.slice(0, rollback).filter((e) => e === "start:C" || e === "start:D")).toEqual([]);
  // Then each alone: B fails again and leaves nothing, the others commit.
  expect(result.outcomes.map((o) => o.ok)).toEqual([true, false, true, true]);
  expect(String((result.outcomes[1] as { error: unknown }).error)).toContain("disk on fire");
  expect(stored()).toEqual(["A", "C", "D"]);
});
