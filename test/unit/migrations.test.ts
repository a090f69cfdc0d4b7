// Migrations: one numbered list for both engines (src/db/migrations/{sqlite,postgres}/NNN_*.sql),
// and SQLite's forward-only, all-or-nothing migrate(). Postgres migrations are tested on their own.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LATEST_SCHEMA, MIGRATIONS, SchemaTooNewError } from "../../src/db/migrations/index.ts";
import { migrate, schemaVersion } from "../../src/db/sqlite/migrate.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { tempDir } from "../support/app.ts";

const FOLDER = join(import.meta.dir, "../../src/db/migrations");
const sqlFiles = (engine: "sqlite" | "postgres") =>
  readdirSync(join(FOLDER, engine))
    .filter((name) => name.endsWith(".sql"))
    .sort();

/** A database file at schema `version`, made the way that VaultRoom left it. */
function databaseAt(version: number): string {
  const path = join(tempDir(), "vaultroom.db");
  const db = new Database(path);
  for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration.sqlite);
  db.exec(`PRAGMA user_version = ${version}`);
  db.close();
  return path;
}

const objects = (db: Database) => db.query("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name").all();

describe("the migration list", () => {
  // Versions count list positions (PRAGMA user_version is how many have run), so the list must be
  // exactly 001, 002, … with no gap: a number landing later below a higher one would be skipped.
  test("both engines' folders hold the same numbers and names, 001 upwards without gaps, all listed in order", () => {
    const sqlite = sqlFiles("sqlite");
    const postgres = sqlFiles("postgres");
    expect(postgres).toEqual(sqlite);
    expect(sqlite.map((name) => name.replace(/\.sql$/, ""))).toEqual(MIGRATIONS.map((m) => m.name));
    for (const name of sqlite) expect(name).toMatch(/^[0-9]{3}_[a-z0-9_]+\.sql$/);
    const numbers = sqlite.map((name) => Number(name.slice(0, 3)));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
  });

  test("each entry carries its own folder's text for each engine", () => {
    for (const migration of MIGRATIONS) {
      const file = `${migration.name}.sql`;
      expect({ file, sqlite: migration.sqlite }).toEqual({ file, sqlite: readFileSync(join(FOLDER, "sqlite", file), "utf8") });
      expect({ file, postgres: migration.postgres }).toEqual({ file, postgres: readFileSync(join(FOLDER, "postgres", file), "utf8") });
      expect(migration.sqlite.trim().length).toBeGreaterThan(0);
      expect(migration.postgres.trim().length).toBeGreaterThan(0);
    }
  });
});

describe("SQLite migrations", () => {
  test("an empty database is brought to the latest schema with strict tables and the right pragmas", () => {
    const path = join(tempDir(), "vaultroom.db");
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    expect((db.query("PRAGMA synchronous").get() as { synchronous: number }).synchronous).toBe(2); // FULL
    expect((db.query("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys).toBe(1);
    expect((db.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBeGreaterThan(0);
    const tables = db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["settings", "users", "sessions", "rooms", "room_members", "messages", "files"]));
    // FTS5 search indexes (009) are virtual tables whose shadow tables FTS5 itself creates and types.
    const virtual = tables.filter((t) => t.sql.startsWith("CREATE VIRTUAL TABLE")).map((t) => t.name);
    expect(virtual).toEqual(["search_words", "search_trigrams"]);
    const ordinary = tables.filter((t) => !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`)));
    for (const table of ordinary) expect(table.sql).toContain("STRICT");
    // The last migration's index is there.
    expect(db.query("SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'messages_by_seq'").get()).toEqual({ name: "messages_by_seq" });
    db.close();
  });

  test("a database at any older version is migrated forward to the same schema, keeping its rows", () => {
    const fresh = openDatabase(join(tempDir(), "vaultroom.db"));
    const latest = objects(fresh);
    fresh.close();
    for (let version = 1; version < LATEST_SCHEMA; version++) {
      const path = databaseAt(version);
      const old = new Database(path);
      old.exec("INSERT INTO settings (key, value) VALUES ('marker', 'kept')");
      old.close();
      const db = openDatabase(path);
      expect({ version, now: schemaVersion(db) }).toEqual({ version, now: LATEST_SCHEMA });
      expect(db.query("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: "kept" });
      expect({ version, schema: objects(db) }).toEqual({ version, schema: latest });
      db.close();
    }
  });

  test("migrating twice changes nothing", () => {
    const db = openDatabase(":memory:");
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA, to: LATEST_SCHEMA });
    db.close();
  });

  test("a database from a newer VaultRoom is refused with a clear message, and left alone", () => {
    const path = join(tempDir(), "vaultroom.db");
    const future = new Database(path);
    future.exec(`PRAGMA user_version = ${LATEST_SCHEMA + 1}`);
    future.exec("CREATE TABLE from_the_future (x INTEGER) STRICT");
    future.close();
    expect(() => openDatabase(path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(path)).toThrow(/written by a newer VaultRoom/);
    const after = new Database(path, { readonly: true });
    expect(schemaVersion(after)).toBe(LATEST_SCHEMA + 1);
    expect(objects(after).map((o) => (o as { name: string }).name)).toEqual(["from_the_future"]);
    after.close();
  });

  test("a failing first migration leaves the database as it was", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"); // collides with 001
    const before = objects(db);
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(objects(db)).toEqual(before);
    expect(db.query("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'users'").get()).toEqual({ n: 0 });
    db.close();
  });

  test("a failing later migration leaves the database at its old version, with nothing of the run applied", () => {
    // At version 3, 004 is harmless and 005 collides with an index already there: 004 is undone too.
    const db = new Database(databaseAt(3));
    db.exec("CREATE INDEX messages_by_seq ON messages (id)");
    db.exec("INSERT INTO settings (key, value) VALUES ('marker', 'kept')");
    const before = objects(db);
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(3);
    expect(objects(db)).toEqual(before);
    expect(db.query("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: "kept" });
    db.close();
  });
});
