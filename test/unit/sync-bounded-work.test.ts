// A reconnect sync's work is bounded whatever the client names: the rooms with news are found in one
// statement, pages are read only while the reply budget lasts, and each reply stays under that
// budget. Repeated syncs still deliver every missed message and every change exactly once, in order.
// The store's reader is wrapped to count the statements and rows each sync costs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Actor } from "../../src/accounts/sessions.ts";
import type { Query } from "../../src/db/query.ts";
import type { SqliteStore } from "../../src/db/sqlite/store.ts";
import type { Conn } from "../../src/db/store.ts";
import { messageSql } from "../../src/messages/message-queries.ts";
import { createMessageReads, REPLY_BUDGET_BYTES, SYNC_CHANGES, syncCost } from "../../src/messages/message-reads.ts";
import { COST_BUDGET } from "../../src/messages/chat-limits.ts";
import { MAX_MESSAGE_LENGTH, MAX_ROOMS_PER_USER, SYNC_PAGE, type Replies } from "../../src/protocol.ts";
import { createTestApp, startTestServer, type TestApp } from "../support/app.ts";
import { TestSocket } from "../ws/client.ts";
import { createTestUser } from "../support/users.ts";
import { TEST_ENGINE } from "../support/engine.ts";

/** The least a row weighs in the reply budget (message-reads.ts): the most rows one reply can hold. */
const MOST_ROWS = REPLY_BUDGET_BYTES / 256;

let app: TestApp;
let counter = 0;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

interface Work {
  statements: number;
  rows: number;
  /** Characters of message text the database handed over. */
  chars: number;
}

/** store.read, counting every statement and what it returned. */
function counting(conn: Conn): { conn: Conn; work: Work } {
  const work: Work = { statements: 0, rows: 0, chars: 0 };
  const seen = (rows: unknown[]) => {
    work.statements++;
    work.rows += rows.length;
    for (const row of rows) {
      const body = (row as { body?: unknown }).body;
      if (typeof body === "string") work.chars += body.length;
    }
  };
  return {
    work,
    conn: {
      async get<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
        const row = await conn.get(query, ...params);
        seen(row ? [row] : []);
        return row;
      },
      async all<Row, P extends readonly unknown[]>(query: Query<Row, P>, ...params: P) {
        const rows = await conn.all(query, ...params);
        seen(rows);
        return rows;
      },
      run: (query, ...params) => conn.run(query, ...params),
    },
  };
}

/** One sync through the counting reader. */
async function measured(actor: Actor, rooms: { roomId: number; lastId: number }[], since?: number) {
  const { conn, work } = counting(app.store.read);
  const reply = await createMessageReads(conn).sync(actor, rooms, since);
  return { reply, work, bytes: JSON.stringify(reply).length };
}

async function newReader(): Promise<Actor> {
  const name = `reader${++counter}`;
  const [row] = await app.sql.write<{ id: number }>(
    "INSERT INTO users (username, username_key, skeleton, password_hash, created_at) VALUES (?, ?, ?, 'x', 0) RETURNING id",
    name,
    name,
    name,
  );
  return { userId: row!.id, sessionId: "s", username: name, displayName: null, isAdmin: false, mustChangePassword: false, mustEnrolSecondFactor: false };
}

/** `count` public rooms with `userId` as a member, made in one transaction; their ids in order. */
async function roomsWith(userId: number, count: number): Promise<number[]> {
  const made = await Promise.all(
    Array.from({ length: count }, () => app.sql.write<{ id: number }>("INSERT INTO rooms (kind, name, created_at) VALUES ('public', ?, 0) RETURNING id", `room ${++counter}`)),
  );
  const ids = made.map(([row]) => row!.id);
  await Promise.all(ids.map((roomId) => app.sql.run("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, 0)", roomId, userId)));
  return ids;
}

const CHUNK = 500;

/**
 * Messages straight in the database (far more than the rate limits let anyone post), many rows per
 * statement; `seq` marks them edited with that change number. Returns each message's id, in order.
 */
async function insertMessages(authorId: number, messages: { roomId: number; body: string; seq?: number }[]): Promise<number[]> {
  const chunks: Promise<{ id: number }[]>[] = [];
  for (let start = 0; start < messages.length; start += CHUNK) {
    const chunk = messages.slice(start, start + CHUNK);
    const values = chunk.map(() => "(?, ?, ?, ?, 0, ?, ?)").join(", ");
    const params = chunk.flatMap((m, i) => [m.roomId, authorId, `c${++counter}-${i}`, m.body, m.seq === undefined ? null : 1, m.seq ?? null]);
    // Submitted together: one transaction, run in this order.
    chunks.push(
      app.sql.write<{ id: number }>(
        `INSERT INTO messages (room_id, author_id, client_id, body, created_at, edited_at, updated_seq) VALUES ${values} RETURNING id`,
        ...params,
      ),
    );
  }
  // RETURNING hands the rows back in the order they were inserted.
  return (await Promise.all(chunks)).flatMap((rows) => rows.map((r) => r.id));
}

const lastIdOf = async (roomId: number) => (await app.sql.get<{ id: number }>("SELECT coalesce(max(id), 0) AS id FROM messages WHERE room_id = ?", roomId))!.id;

describe("a sync naming the most rooms a user can have", () => {
  let reader: Actor;
  let rooms: number[];
  let lastIds: Map<number, number>;
  let news: number[];

  beforeAll(async () => {
    reader = await newReader();
    rooms = await roomsWith(reader.userId, MAX_ROOMS_PER_USER);
    await insertMessages(reader.userId, rooms.map((roomId) => ({ roomId, body: "seen already" })));
    lastIds = new Map(await Promise.all(rooms.map(async (roomId) => [roomId, await lastIdOf(roomId)] as const)));
    // Three rooms have news since.
    news = [rooms[7]!, rooms[250]!, rooms[499]!];
    await insertMessages(reader.userId, news.flatMap((roomId) => [{ roomId, body: `new in ${roomId}` }, { roomId, body: `more in ${roomId}` }]));
  });

  test("of which few have news runs a few statements, not one per room", async () => {
    const named = rooms.map((roomId) => ({ roomId, lastId: lastIds.get(roomId)! }));
    const { reply, work } = await measured(reader, named, 0);
    // The change number, the rooms with news (one statement), my rooms, one page per room with news, the changes.
    expect(work.statements).toBeLessThanOrEqual(4 + news.length);
    expect(reply.rooms).toHaveLength(MAX_ROOMS_PER_USER);
    const withMessages = reply.rooms.filter((r) => r.messages.length > 0);
    expect(withMessages.map((r) => r.roomId)).toEqual(news);
    for (const room of withMessages) expect(room.messages.map((m) => m.body)).toEqual([`new in ${room.roomId}`, `more in ${room.roomId}`]);
    expect(reply.rooms.every((r) => !r.hasMore)).toBe(true);

    // The same statements whether it names 500 rooms or 10 of them.
    const few = await measured(reader, named.filter((r) => news.includes(r.roomId) || r.roomId === rooms[0]), 0);
    expect(few.work.statements).toBe(work.statements);
  });

  test("of rooms the user is not in reads nothing of them and tells nothing", async () => {
    const stranger = await newReader();
    const named = rooms.map((roomId) => ({ roomId, lastId: 0 }));
    const { reply, work } = await measured(stranger, named, 0);
    expect(reply.rooms).toEqual([]);
    expect(reply.changes).toEqual([]);
    expect(work.statements).toBeLessThanOrEqual(3);
    expect(work.chars).toBe(0);
  });
});

describe("a sync over many rooms full of long messages", () => {
  const ROOMS = 60;
  const PER_ROOM = 50;
  const LONG = "w".repeat(MAX_MESSAGE_LENGTH - 10);
  let reader: Actor;
  let rooms: number[];
  let all: Map<number, number[]>;

  beforeAll(async () => {
    reader = await newReader();
    rooms = await roomsWith(reader.userId, ROOMS);
    const messages = rooms.flatMap((roomId) => Array.from({ length: PER_ROOM }, (_, i) => ({ roomId, body: `${roomId}/${i} ${LONG}` })));
    const ids = await insertMessages(reader.userId, messages);
    all = new Map(rooms.map((roomId) => [roomId, []]));
    messages.forEach((m, i) => all.get(m.roomId)!.push(ids[i]!));
  });

  test("stops reading once the reply budget is spent, and the reply stays within it", async () => {
    const { reply, work, bytes } = await measured(
      reader,
      rooms.map((roomId) => ({ roomId, lastId: 0 })),
    );
    expect(bytes).toBeLessThanOrEqual(REPLY_BUDGET_BYTES);
    // Something was sent, and every room left out says there is more.
    expect(reply.rooms[0]!.messages.length).toBeGreaterThan(0);
    for (const room of reply.rooms) if (room.messages.length < PER_ROOM) expect(room.hasMore).toBe(true);
    // The work: the fixed statements and the pages that filled the reply, not a page per room.
    expect(work.statements).toBeLessThanOrEqual(3 + Math.ceil(REPLY_BUDGET_BYTES / (3 * LONG.length)) + 1);
    expect(work.chars).toBeLessThanOrEqual(REPLY_BUDGET_BYTES + (SYNC_PAGE + 1) * MAX_MESSAGE_LENGTH);
  });

  test("repeated with the last ids it returned, delivers every message exactly once and in order, each reply within the budget", async () => {
    const lastIds = new Map(rooms.map((roomId) => [roomId, 0]));
    const got = new Map<number, number[]>(rooms.map((roomId) => [roomId, []]));
    let rounds = 0;
    for (let more = true; more; rounds++) {
      expect(rounds).toBeLessThan(ROOMS * PER_ROOM);
      const { reply, work, bytes } = await measured(
        reader,
        rooms.map((roomId) => ({ roomId, lastId: lastIds.get(roomId)! })),
      );
      expect(bytes).toBeLessThanOrEqual(REPLY_BUDGET_BYTES);
      expect(work.chars).toBeLessThanOrEqual(REPLY_BUDGET_BYTES + (SYNC_PAGE + 1) * MAX_MESSAGE_LENGTH);
      more = false;
      for (const room of reply.rooms) {
        got.get(room.roomId)!.push(...room.messages.map((m) => m.id));
        if (room.messages.length) lastIds.set(room.roomId, room.messages.at(-1)!.id);
        more ||= room.hasMore;
      }
    }
    expect(got).toEqual(all);
    // Each reply carried about a budget's worth: no round was wasted.
    expect(rounds).toBeLessThanOrEqual(Math.ceil((ROOMS * PER_ROOM * (256 + 3 * (LONG.length + 10))) / REPLY_BUDGET_BYTES) + 2);
  });
});

describe("a sync's changes (edits and deletions)", () => {
  const ROOMS = 60;
  const PER_ROOM = 1100;
  let reader: Actor;
  let rooms: number[];
  let maxSeq = 0;
  /** The change number of each edited message. */
  const seqOf = new Map<number, number>();

  beforeAll(async () => {
    reader = await newReader();
    rooms = await roomsWith(reader.userId, ROOMS);
    // Interleaved: every room has edits spread over the whole sequence.
    const messages: { roomId: number; body: string; seq: number }[] = [];
    for (let n = 0; n < PER_ROOM; n++) for (const roomId of rooms) messages.push({ roomId, body: "x", seq: ++maxSeq });
    const ids = await insertMessages(reader.userId, messages);
    ids.forEach((id, i) => seqOf.set(id, messages[i]!.seq));
  });

  const haveAll = () => rooms.map((roomId) => ({ roomId, lastId: Number.MAX_SAFE_INTEGER }));

  test("over many busy rooms read at most a few thousand rows per answer", async () => {
    // Missed everything, and all the edits: the worst case for one request.
    const missedAll = await measured(
      reader,
      rooms.map((roomId) => ({ roomId, lastId: 0 })),
      0,
    );
    const editsOnly = await measured(reader, haveAll(), 0);
    for (const { work, bytes } of [missedAll, editsOnly]) {
      expect(work.rows).toBeLessThan(SYNC_CHANGES + MOST_ROWS + 3 * ROOMS + SYNC_PAGE);
      expect(bytes).toBeLessThanOrEqual(REPLY_BUDGET_BYTES);
    }
    expect(editsOnly.reply.changes.length).toBeGreaterThan(0);
    expect(editsOnly.reply.hasMoreChanges).toBe(true);
  });

  test("repeated with the changeSeq it returns, delivers every change exactly once and in order", async () => {
    const seen: number[] = [];
    let since = 0;
    for (let round = 0; round < 10_000; round++) {
      const { reply, bytes } = await measured(reader, haveAll(), since);
      expect(bytes).toBeLessThanOrEqual(REPLY_BUDGET_BYTES);
      for (const message of reply.changes) seen.push(seqOf.get(message.id)!);
      if (!reply.hasMoreChanges) break;
      // Every answer that says "more" moves the cursor forward.
      expect(reply.changeSeq).toBeGreaterThan(since);
      since = reply.changeSeq;
    }
    expect(seen).toEqual(Array.from({ length: maxSeq }, (_, i) => i + 1));
  });
});

describe("the statements' plans", () => {
  test.if(TEST_ENGINE === "sqlite")("on SQLite, probe an index once per named room instead of scanning", () => {
    const db = (app.store as SqliteStore).reader.db;
    const plan = (text: string, ...params: unknown[]) =>
      (db.query(`EXPLAIN QUERY PLAN ${text}`).all(...(params as never[])) as { detail: string }[]).map((row) => row.detail);
    const pairs = JSON.stringify([[1, 0]]);
    // The named rooms outermost, each one primary-key probe of the membership: not rooms × memberships.
    const news = plan(messageSql.roomsWithNews.sqlite, pairs, 1);
    expect(news[0]).toStartWith("SCAN w");
    expect(news).toContain("SEARCH rm USING PRIMARY KEY (room_id=? AND user_id=?)");
    // Changes: the ids come from the index alone, sorted and cut to the limit before any join.
    const changes = plan(messageSql.changesIn.sqlite, pairs, 0, 10);
    expect(changes.slice(0, 4)).toEqual([
      "CO-ROUTINE picked",
      "SCAN w VIRTUAL TABLE INDEX 1:",
      "SEARCH m USING COVERING INDEX messages_changed (room_id=? AND updated_seq>?)",
      "USE TEMP B-TREE FOR ORDER BY",
    ]);
  });
});

describe("the per-user read budget", () => {
  test("prices a sync by the rooms it names: a flood of the largest syncs is refused after a few", async () => {
    const server = await startTestServer();
    try {
      const user = await createTestUser(server.deps);
      const socket = await TestSocket.connect(server, user.cookie);
      const named = Array.from({ length: MAX_ROOMS_PER_USER }, (_, i) => ({ roomId: i + 1, lastId: 0 }));
      const allowed = Math.floor(COST_BUDGET.capacity / syncCost(named.length));
      expect(allowed).toBeGreaterThanOrEqual(1);
      const answers = await Promise.all(Array.from({ length: allowed + 3 }, () => socket.request({ type: "sync", rooms: named, since: 0 })));
      const acked = answers.filter((a) => a.type === "ack") as unknown as Replies["sync"][];
      expect(acked).toHaveLength(allowed);
      expect(answers.filter((a) => a.type === "error")).toEqual(
        Array.from({ length: 3 }, () => expect.objectContaining({ code: "rate_limited", retryAfterMs: expect.any(Number) })),
      );
      // Small syncs are cheap: a person reconnecting with a few rooms is not held up for long.
      expect(syncCost(10)).toBeLessThan(COST_BUDGET.capacity / 3);
      socket.close();
    } finally {
      await server.stop();
    }
  });
});
