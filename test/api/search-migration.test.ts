// Upgrading a server that already holds messages (schema 006, before search): migration 009 indexes
// every live message, leaves deleted ones out, and the search finds them at once (SQLite, or Postgres
// in cluster mode).
import { afterAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { join } from "node:path";
import { rmSync } from "node:fs";
import { MIGRATIONS } from "../../src/db/migrations/index.ts";
import { ensureDataDir, databasePath } from "../../src/db/data-dir.ts";
import { openStore } from "../../src/db/open-store.ts";
import type { Store } from "../../src/db/store.ts";
import { MemoryLimiter } from "../../src/limits/shared-limiter.ts";
import { silentLogger } from "../../src/log.ts";
import { createSearch } from "../../src/search/search.ts";
import { freshDatabaseUrl, TEST_ENGINE } from "../support/engine.ts";
import { tempDir } from "../support/app.ts";

/** Schema 006: what a VaultRoom from before search left (the last migration before 009). */
const BEFORE_SEARCH = MIGRATIONS.findIndex((m) => m.name === "009_search");

const SETUP = [
  `INSERT INTO users (id, username, username_key, skeleton, password_hash, created_at) VALUES (1, 'ana', 'ana', 'ana', 'x', 0)`,
  `INSERT INTO users (id, username, username_key, skeleton, password_hash, created_at, deleted_at) VALUES (2, 'deleted-2', '#deleted-2', '#deleted-2', '', 0, 1)`,
  `INSERT INTO rooms (id, kind, name, created_at) VALUES (1, 'public', 'old', 0), (2, 'private', 'other', 0)`,
  `INSERT INTO room_members (room_id, user_id, joined_at) VALUES (1, 1, 0)`,
];
const MESSAGES = 500;

const stores: Store[] = [];
let dir = "";
afterAll(async () => {
  for (const store of stores) await store.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function oldDatabase(): Promise<{ dataDir: string; databaseUrl: string | null }> {
  dir = tempDir();
  ensureDataDir(dir);
  const rows: [number, number, number, string, number | null][] = [];
  for (let i = 1; i <= MESSAGES; i++) rows.push([i, i % 3 === 0 ? 2 : 1, 1, `old message ${i} about the ${i % 2 ? "été" : "hiver"} plans`, null]);
  rows.push([MESSAGES + 1, 1, 1, "", 5]); // deleted before the upgrade
  rows.push([MESSAGES + 2, 1, 2, "old message in a room ana is not in", null]);
  const insertMessage = `INSERT INTO messages (id, author_id, room_id, body, deleted_at, client_id, created_at) VALUES `;
  const values = rows.map(([id, author, room, body, deleted]) => `(${id}, ${author}, ${room}, '${body}', ${deleted ?? "NULL"}, 'c${id}', ${id})`).join(", ");
  const file = `INSERT INTO files (id, message_id, uploader_id, name, size, mime, sha256, created_at) VALUES ('f1', 7, 1, 'Budget-Prévisionnel.ods', 1, 'application/octet-stream', 'x', 7)`;
  if (TEST_ENGINE === "sqlite") {
    const db = new Database(databasePath(dir), { create: true });
    for (const migration of MIGRATIONS.slice(0, BEFORE_SEARCH)) db.exec(migration.sqlite);
    db.exec(`PRAGMA user_version = ${BEFORE_SEARCH}`);
    for (const statement of [...SETUP, insertMessage + values, file]) db.exec(statement);
    db.close();
    return { dataDir: dir, databaseUrl: null };
  }
  const url = (await freshDatabaseUrl())!;
  const sql = new SQL({ url, max: 1 });
  for (const migration of MIGRATIONS.slice(0, BEFORE_SEARCH)) await sql.unsafe(migration.postgres);
  await sql.unsafe(`CREATE TABLE vaultroom_schema (version INTEGER NOT NULL); INSERT INTO vaultroom_schema VALUES (${BEFORE_SEARCH})`);
  for (const statement of [...SETUP, insertMessage + values, file]) await sql.unsafe(statement);
  await sql.close();
  return { dataDir: dir, databaseUrl: url };
}

test("migration 009 on a server with messages indexes every live one: all found at once, deleted ones never", async () => {
  const store = await openStore(await oldDatabase());
  stores.push(store);
  const search = createSearch({ store, logger: silentLogger, limiter: new MemoryLimiter(), takeCost: async () => 0, messageRate: 1000 });
  // Nothing waits for the indexer: the migration indexed everything.
  expect(await search.indexer.waiting()).toBe(0);
  const actor = { userId: 1, username: "ana", displayName: null, isAdmin: false, sessionId: "s" } as Parameters<typeof search.search>[0];
  const all = async (q: string) => {
    const found: number[] = [];
    let before: string | undefined;
    do {
      const page = await search.search(actor, { q, limit: 50, ...(before ? { before } : {}) });
      found.push(...page.results.map((r) => r.message.id));
      before = page.next ?? undefined;
    } while (before);
    return found;
  };
  const live = Array.from({ length: MESSAGES }, (_, i) => MESSAGES - i);
  expect(await all("old message")).toEqual(live);
  expect(await all('"old message"')).toEqual(live);
  expect(await all("ete")).toEqual(live.filter((id) => id % 2 === 1));
  // The deleted account's messages are there, shown as a deleted user.
  const byDeleted = await search.search(actor, { q: "message 3 " });
  expect(byDeleted.results.map((r) => [r.message.id, r.message.author.deleted])).toContainEqual([3, true]);
  // The file's name was indexed with its message.
  expect((await search.search(actor, { q: "previsionnel" })).results.map((r) => r.message.id)).toEqual([7]);
  // The index itself holds exactly the live messages (the indexer is not needed to find them).
  if (TEST_ENGINE === "sqlite") {
    const db = new Database(join(dir, "vaultroom.db"), { readonly: true });
    const count = (table: string) => (db.query(`SELECT count(*) AS n FROM ${table} WHERE ${table} MATCH 'doc : "old"'`).get() as { n: number }).n;
    expect([count("search_words"), count("search_trigrams")]).toEqual([MESSAGES + 1, MESSAGES + 1]);
    db.close();
  }
});
