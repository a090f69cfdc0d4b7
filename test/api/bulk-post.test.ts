// Posting in bulk (src/messages/bulk-post.ts, Command.runMany): a batch's plain posts are checked by
// one statement and inserted by one, and every post gets exactly the answer postMessage's own `run`
// gives — errors, resends and ids in submission order included — whatever else is in the batch.
// Driven through the batch runner with `bulk` on, on the suite's engine (SQLite by default, Postgres
// with VAULTROOM_TEST_ENGINE=cluster), counting the statements the batch sends.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { executeBatch, type BatchJob, type EngineHooks, type EngineTx, type Outcome } from "../../src/db/batch.ts";
import { databasePath } from "../../src/db/data-dir.ts";
import { PgConn } from "../../src/db/postgres/connection.ts";
import { WRITE_LOCK, type PostgresStore } from "../../src/db/postgres/store.ts";
import type { Query } from "../../src/db/query.ts";
import { sqliteEngine } from "../../src/db/sqlite/engine.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { postMessage } from "../../src/messages/messages.ts";
import type { PostInput } from "../../src/messages/bulk-post.ts";
import type { PostedMessage } from "../../src/protocol.ts";
import { AppError } from "../../src/errors.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { TEST_ENGINE } from "../support/engine.ts";
import { createTestUser, type TestUser } from "../support/users.ts";

let t: TestApp;
let statements: number;
let hooks: EngineHooks;
let closeEngine: () => void;

/** Forwards to the engine's connection, counting statements. */
class Counting implements EngineTx {
  constructor(private readonly conn: EngineTx) {}
  get engine() {
    return this.conn.engine;
  }
  get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    statements++;
    return this.conn.get(query, ...params);
  }
  all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    statements++;
    return this.conn.all(query, ...params);
  }
  run<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
    statements++;
    return this.conn.run(query, ...params);
  }
}

function engineHooks(): { hooks: EngineHooks; close: () => void } {
  if (TEST_ENGINE === "cluster") {
    const { sql } = t.store as PostgresStore;
    return {
      hooks: {
        bulk: true,
        concurrent: true,
        transaction: (work) =>
          sql.begin(async (tx) => {
            await tx.unsafe(`SELECT pg_advisory_xact_lock($1)`, [WRITE_LOCK]);
            return work(new Counting(new PgConn(tx, false)));
          }),
      },
      close: () => {},
    };
  }
  // A second connection to the app's database file, as the writer thread has its own.
  const db = openDatabase(databasePath(t.dataDir), { migrate: false });
  const engine = sqliteEngine(db);
  return {
    hooks: { bulk: true, transaction: (work) => engine.transaction((tx) => work(new Counting(tx))) },
    close: () => db.close(),
  };
}

async function room(kind: "public" | "private" | "dm", members: TestUser[], options: { archived?: boolean } = {}): Promise<number> {
  const [row] = await t.sql.write<{ id: number }>(
    "INSERT INTO rooms (kind, name, created_by, created_at, archived_at, dm_key) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    kind,
    kind === "dm" ? "" : `r${Math.random().toString(36).slice(2, 10)}`,
    members[0]!.id,
    Date.now(),
    options.archived ? Date.now() : null,
    kind === "dm" ? members.map((m) => m.id).join(":") : null,
  );
  for (const member of members) {
    await t.sql.run("INSERT INTO room_members (room_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)", row!.id, member.id, Date.now());
  }
  return row!.id;
}

let clientCounter = 0;
function post(author: TestUser, roomId: number, extra: Partial<PostInput["message"]> = {}): PostInput {
  return {
    author: { id: author.id, username: author.username, displayName: author.displayName },
    message: { roomId, clientId: `018f0000-0000-7000-8000-${String(++clientCounter).padStart(12, "0")}`, body: `hello ${clientCounter}`, ...extra },
    now: Date.now(),
  };
}

const jobsOf = (inputs: PostInput[]): BatchJob[] => inputs.map((input) => ({ command: postMessage as BatchJob["command"], input }));

async function batch(inputs: PostInput[]): Promise<Outcome[]> {
  statements = 0;
  const result = await executeBatch(hooks, jobsOf(inputs));
  expect(result.commits).toHaveLength(1);
  return result.outcomes;
}

const posted = (outcome: Outcome): PostedMessage => {
  if (!outcome.ok) throw new Error(`refused: ${(outcome.error as Error).message}`);
  return outcome.value as PostedMessage;
};
const refusal = (outcome: Outcome): string => (outcome.ok ? "accepted" : outcome.error instanceof AppError ? outcome.error.code : String(outcome.error));

let ann: TestUser;
let bob: TestUser;
let cyd: TestUser;
let dan: TestUser;
let eve: TestUser;
let fay: TestUser;
let gus: TestUser;

beforeEach(async () => {
  t = await createTestApp();
  const made = await Promise.all(Array.from({ length: 7 }, () => createTestUser(t.deps)));
  [ann, bob, cyd, dan, eve, fay, gus] = made as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
  ({ hooks, close: closeEngine } = engineHooks());
});
afterEach(async () => {
  closeEngine();
  await t.close();
});

describe("plain posts in one batch", () => {
  test("take one check and one insert in all, and are stored and answered in submission order", async () => {
    const one = await room("public", [ann, bob, cyd]);
    const two = await room("private", [ann, bob]);
    const inputs = [post(ann, one), post(bob, two), post(cyd, one), post(ann, two), post(bob, one), post(ann, one)];
    const outcomes = await batch(inputs);
    expect(statements).toBe(2);
    const ids = outcomes.map((o) => posted(o).message.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const stored = await t.sql.all<{ id: number; roomId: number; authorId: number; clientId: string; body: string; createdAt: number }>(
      `SELECT id, room_id AS "roomId", author_id AS "authorId", client_id AS "clientId", body, created_at AS "createdAt" FROM messages ORDER BY id`,
    );
    expect(stored).toEqual(
      inputs.map((input, i) => ({ id: ids[i]!, roomId: input.message.roomId, authorId: input.author.id, clientId: input.message.clientId, body: input.message.body, createdAt: input.now })),
    );
    outcomes.forEach((outcome, i) => {
      const { message, duplicate } = posted(outcome);
      expect(duplicate).toBe(false);
      expect(message).toEqual({ id: ids[i]!, roomId: inputs[i]!.message.roomId, author: inputs[i]!.author, clientId: inputs[i]!.message.clientId, body: inputs[i]!.message.body, createdAt: inputs[i]!.now });
      // Announced as `run` would: one message.created for the room, after the commit.
      expect(outcome.ok && outcome.announced).toEqual([{ kind: "event", to: { room: message.roomId }, event: { type: "message.created", message } }]);
    });
  });
});

describe("posts the bulk path leaves to run", () => {
  // Each check has a room and an author of its own, so no earlier post left to run hides it.
  test("get run's own answers, and ids still follow the order posts were submitted in each room", async () => {
    const open = await room("public", [ann, bob, cyd]);
    const other = await room("public", [cyd, dan]);
    const archived = await room("public", [dan], { archived: true });
    const dm = await room("dm", [eve, ann]);
    await t.sql.run("UPDATE room_members SET hidden = 1 WHERE room_id = ? AND user_id = ?", dm, ann.id);
    const third = await room("private", [gus]);
    const fourth = await room("private", [ann]);
    const earlier = post(cyd, other);
    const resentId = posted((await batch([earlier]))[0]!).message.id;

    const twice = post(gus, third);
    const inputs = [
      post(bob, open, { body: `hi @${cyd.username}` }), // 0 a mention: run resolves it
      post(ann, open), // 1 plain, but its room has a post left to run before it: left too
      post(fay, fourth), // 2 not a member: refused
      post(dan, archived), // 3 an archived room: refused
      post(eve, dm), // 4 a DM: run shows it again to whoever hid it
      { ...earlier, now: Date.now() }, // 5 a resend of a stored post: the original back
      twice, // 6 plain: in bulk
      { ...twice, now: Date.now() }, // 7 the same clientId again in this batch: a duplicate of 6
      post(ann, other, { quoteId: resentId }), // 8 not a member: refused
      post(cyd, other, { body: "\u200b" }), // 9 nothing visible: refused
      post(dan, other), // 10 plain, left (its author's earlier post was)
    ];
    const outcomes = await batch(inputs);
    expect(outcomes.map(refusal)).toEqual([
      "accepted", "accepted", "room_not_found", "room_archived", "accepted", "accepted",
      "accepted", "accepted", "room_not_found", "invalid_request", "accepted",
    ]);
    const id = (i: number) => posted(outcomes[i]!).message.id;
    expect(posted(outcomes[0]!).message.mentions).toEqual([cyd.id]);
    expect(id(1)).toBeGreaterThan(id(0));
    const dmOutcome = outcomes[4]!;
    expect(dmOutcome.ok && dmOutcome.announced.some((a) => a.kind === "joined" && a.userId === ann.id)).toBe(true);
    expect(posted(outcomes[5]!)).toMatchObject({ duplicate: true, message: { id: resentId } });
    expect(posted(outcomes[6]!).duplicate).toBe(false);
    expect(posted(outcomes[7]!)).toMatchObject({ duplicate: true, message: { id: id(6) } });
    const inOpen = await t.sql.all<{ id: number }>("SELECT id FROM messages WHERE room_id = ? ORDER BY id", open);
    expect(inOpen.map((r) => r.id)).toEqual([id(0), id(1)]);
    // The refused posts left nothing behind.
    expect((await t.sql.get<{ n: number }>("SELECT count(*) AS n FROM messages"))!.n).toBe(6);
  });
});
