// Direct access to a STOPPED server's database: seeding a big room, and checking after a run that
// every acknowledged message is stored. Never used while the server runs.
import { Database } from "bun:sqlite";
import { createECDH, randomBytes } from "node:crypto";
import { join } from "node:path";
import { clientId } from "./wire.ts";

const dbPath = (dataDir: string) => join(dataDir, "vaultroom.db");

/**
 * Writes `count` messages into a room in big transactions (fine for seeding: no one is waiting for
 * an ack). Authors take turns among `authors`. Returns the first and last message ids.
 */
export function seedMessages(dataDir: string, roomId: number, authors: number[], count: number): { firstId: number; lastId: number } {
  const db = new Database(dbPath(dataDir), { strict: true });
  try {
    db.exec("PRAGMA journal_mode = WAL");
    const insert = db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)");
    const start = Date.now() - count * 10;
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const text = `seeded message ${i}: ` + "lorem ipsum dolor sit amet ".repeat(3);
        insert.run(roomId, authors[i % authors.length]!, clientId(0xfffffff0, 0, i), text, start + i * 10);
      }
    });
    for (let from = 0; from < count; from += 100_000) batch(from, Math.min(count, from + 100_000));
    indexForSearch(db);
    // The seeded ids only: the room also holds system lines (members joining) among other rooms' rows,
    // and the deep-page check expects the ids it pages through to be the room's, one after another.
    const range = db
      .query("SELECT min(id) AS firstId, max(id) AS lastId FROM messages WHERE room_id = ? AND client_id >= ? AND client_id <= ?")
      .get(roomId, clientId(0xfffffff0, 0, 0), clientId(0xfffffff0, 0, count - 1)) as { firstId: number; lastId: number };
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return range;
  } finally {
    db.close();
  }
}

export interface StoredCheck {
  author: number;
  roomId: number;
  run: number;
  sender: number;
  /** Messages sent (seq 0..sent-1), every one of them either acknowledged or refused. */
  sent: number;
  acked: number;
}

/**
 * For each sender, after every message it sent was answered: exactly the acknowledged ones are in
 * the database (a refused one, e.g. rate limited, never is). Client ids sort in seq order, so one
 * range count per sender does it. Returns the problems found.
 */
export function checkStored(dataDir: string, checks: StoredCheck[]): string[] {
  const db = new Database(dbPath(dataDir), { readonly: false, strict: true });
  const problems: string[] = [];
  try {
    const count = db.query("SELECT count(*) AS n FROM messages WHERE author_id = ? AND room_id = ? AND client_id >= ? AND client_id < ?");
    for (const c of checks) {
      const { n } = count.get(c.author, c.roomId, clientId(c.run, c.sender, 0), clientId(c.run, c.sender, c.sent)) as { n: number };
      if (n !== c.acked && problems.length < 10) problems.push(`user ${c.author} had ${c.acked} messages acknowledged but ${n} stored`);
    }
  } finally {
    db.close();
  }
  return problems;
}

/**
 * How long one durable commit takes on this disk: 200 single-row transactions with WAL and
 * synchronous=FULL, as VaultRoom opens its database. A message cannot be acknowledged sooner than
 * this, so it is the floor under VaultRoom's latency that no server-side change can remove.
 */
export function commitLatency(dir: string): { p50ms: number; p99ms: number; maxms: number } {
  const path = join(dir, "fsync-probe.db");
  const db = new Database(path, { create: true, strict: true });
  const times: number[] = [];
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("CREATE TABLE IF NOT EXISTS probe (body TEXT NOT NULL)");
    const insert = db.query("INSERT INTO probe (body) VALUES (?)");
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      insert.run("x".repeat(100));
      times.push(performance.now() - started);
    }
  } finally {
    db.close();
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 100) / 100;
  return { p50ms: ms(times[100]!), p99ms: ms(times[197]!), maxms: ms(times[199]!) };
}

/**
 * Indexes every message above the search mark, as the server's indexer (src/search/indexer.ts,
 * same statements) would have done while they were posted: otherwise the seeded backlog waits to be
 * indexed, and the indexer's catch-up runs through the whole measurement as a hidden extra load (it
 * did: the purge scenario measured it, not the purge).
 */
function indexForSearch(db: Database): void {
  db.transaction(() => {
    const upto = (db.query("SELECT indexed_upto AS upto FROM search_state WHERE id = 1").get() as { upto: number }).upto;
    const end = (db.query("SELECT max(id) AS id FROM messages").get() as { id: number | null }).id;
    if (end === null || end <= upto) return;
    db.query("INSERT INTO search_words (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id > ? AND id <= ? ORDER BY id").run(upto, end);
    db.query("INSERT INTO search_trigrams (rowid, doc, meta) SELECT id, doc, meta FROM search_source WHERE id > ? AND id <= ? ORDER BY id").run(upto, end);
    db.query("UPDATE search_state SET indexed_upto = ? WHERE id = 1").run(end);
  })();
}

const DAY = 86_400_000;

/** Expired messages for the purge scenario: `count` messages in `roomId`, 100 days old. */
export function seedExpired(dataDir: string, roomId: number, authors: number[], count: number): void {
  seedMessages(dataDir, roomId, authors, count);
  const db = new Database(dbPath(dataDir), { strict: true });
  try {
    db.query("UPDATE messages SET created_at = created_at - ? WHERE room_id = ?").run(100 * DAY, roomId);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
}

/** Messages of `roomId` still not deleted (the purge must leave none). */
export function liveMessages(dataDir: string, roomId: number): number {
  const db = new Database(dbPath(dataDir), { readonly: true, strict: true });
  try {
    return (db.query("SELECT count(*) AS n FROM messages WHERE room_id = ? AND deleted_at IS NULL").get(roomId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * The notify scenarios (issue 12): every member of the room is notified of every message there
 * ("all") and has Web Push on, with real P-256 keys, on each of their sessions — so each message
 * makes the server decide, for the whole room, who gets a push. Their tabs say they are visible, so
 * the answer is nobody (a push is for a closed or hidden tab; bench "push" measures sending them).
 * Returns the number of subscriptions written.
 */
export function seedNotify(dataDir: string, roomId: number, members: number[]): number {
  const db = new Database(dbPath(dataDir), { strict: true });
  try {
    const now = Date.now();
    const level = db.query("INSERT INTO room_notification_prefs (room_id, user_id, level) VALUES (?, ?, 'all') ON CONFLICT DO UPDATE SET level = 'all'");
    const sessions = db.query("SELECT id FROM sessions WHERE user_id = ?");
    const subscription = db.query("INSERT INTO push_subscriptions (session_id, user_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    let written = 0;
    db.transaction(() => {
      for (const userId of members) {
        level.run(roomId, userId);
        for (const { id } of sessions.all(userId) as { id: string }[]) {
          const keys = createECDH("prime256v1");
          // Never reached (no push is due); .invalid can never resolve, should one be tried.
          subscription.run(id, userId, `https://push.invalid/bench/${written}`, keys.generateKeys().toString("base64url"), randomBytes(16).toString("base64url"), now);
          written++;
        }
      }
    })();
    return written;
  } finally {
    db.close();
  }
}

/** The notify scenarios' check: this run's messages in the room, and how many mentions they made. */
export function runMentions(dataDir: string, roomId: number, run: number): { messages: number; mentions: number } {
  const db = new Database(dbPath(dataDir), { readonly: true, strict: true });
  try {
    const from = clientId(run, 0, 0);
    const to = clientId(run + 1, 0, 0);
    return db
      .query(
        `SELECT count(*) AS messages, coalesce(sum((SELECT count(*) FROM message_mentions mm WHERE mm.message_id = m.id)), 0) AS mentions
           FROM messages m WHERE m.room_id = ? AND m.client_id >= ? AND m.client_id < ?`,
      )
      .get(roomId, from, to) as { messages: number; mentions: number };
  } finally {
    db.close();
  }
}
