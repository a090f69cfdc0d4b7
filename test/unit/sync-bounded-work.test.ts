// A reconnect sync over many rooms reads a bounded number of rows, however much happened in them,
// and repeated syncs still deliver every missed message and every change exactly once, in order.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Actor } from "../../src/accounts/sessions.ts";
import { openDatabase } from "../../src/db/open.ts";
import { createMessageQueries, type MessageQueries } from "../../src/messages/message-queries.ts";
import { createMessageReads, SYNC_CHANGES } from "../../src/messages/message-reads.ts";
import { createRoomQueries } from "../../src/rooms/room-queries.ts";
import { tempDir } from "../support/app.ts";

const ROOMS = 60;
const PER_ROOM = 1100;

let dir: string;
let db: Database;
let actor: Actor;
let maxSeq = 0;

beforeAll(() => {
  dir = tempDir();
  db = openDatabase(join(dir, "sync.db"));
  const { id: userId } = db
    .query<{ id: number }, []>(
      "INSERT INTO users (username, username_key, skeleton, password_hash, created_at) VALUES ('reader', 'reader', 'reader', 'x', 0) RETURNING id",
    )
    .get()!;
  actor = { userId, sessionId: "s", username: "reader", displayName: null, isAdmin: false, mustChangePassword: false };
  const room = db.query<{ id: number }, [string]>("INSERT INTO rooms (kind, name, created_at) VALUES ('public', ?, 0) RETURNING id");
  const member = db.query("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, 0)");
  const message = db.query(
    "INSERT INTO messages (room_id, author_id, client_id, body, created_at, edited_at, updated_seq) VALUES (?, ?, ?, 'x', 0, 1, ?)",
  );
  db.transaction(() => {
    const rooms = Array.from({ length: ROOMS }, (_, i) => room.get(`room ${i}`)!.id);
    for (const roomId of rooms) member.run(roomId, userId);
    // Interleaved: every room has edits spread over the whole sequence.
    for (let n = 0; n < PER_ROOM; n++) {
      for (const roomId of rooms) message.run(roomId, userId, crypto.randomUUID(), ++maxSeq);
    }
  })();
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The queries, counting every row they hand back. */
function counting(q: MessageQueries) {
  const read = { rows: 0 };
  const wrap = <S extends { all: (...args: never[]) => unknown[] }>(statement: S): S =>
    ({ all: (...args: Parameters<S["all"]>) => {
      const rows = statement.all(...args);
      read.rows += rows.length;
      return rows;
    } }) as unknown as S;
  return { q: { ...q, after: wrap(q.after), changesIn: wrap(q.changesIn) }, read };
}

describe("sync", () => {
  test("over many busy rooms reads at most a few thousand rows per answer", () => {
    const { q, read } = counting(createMessageQueries(db));
    const reads = createMessageReads({ q, rooms: createRoomQueries(db), changeSeq: () => maxSeq });
    const roomIds = createRoomQueries(db).roomIdsOf.all(actor.userId).map((r) => r.roomId);
    // Missed everything, and all the edits: the worst case for one request.
    reads.sync(actor, roomIds.map((roomId) => ({ roomId, lastId: 0 })), 0);
    reads.sync(actor, roomIds.map((roomId) => ({ roomId, lastId: Number.MAX_SAFE_INTEGER })), 0);
    expect(read.rows).toBeLessThan(2 * (SYNC_CHANGES + 2048 + 2 * ROOMS));
  });

  test("repeated with the changeSeq it returns, delivers every change exactly once and in order", () => {
    const reads = createMessageReads({ q: createMessageQueries(db), rooms: createRoomQueries(db), changeSeq: () => maxSeq });
    const roomIds = createRoomQueries(db).roomIdsOf.all(actor.userId).map((r) => r.roomId);
    const seen: number[] = [];
    let since = 0;
    for (let round = 0; round < 10_000; round++) {
      const reply = reads.sync(actor, roomIds.map((roomId) => ({ roomId, lastId: Number.MAX_SAFE_INTEGER })), since);
      const seqs = reply.changes.map((m) => (db.query("SELECT updated_seq AS s FROM messages WHERE id = ?").get(m.id) as { s: number }).s);
      seen.push(...seqs);
      if (!reply.hasMoreChanges) break;
      // Every answer that says "more" moves the cursor forward.
      expect(reply.changeSeq).toBeGreaterThan(since);
      since = reply.changeSeq;
    }
    expect(seen).toEqual(Array.from({ length: maxSeq }, (_, i) => i + 1));
  });
});
