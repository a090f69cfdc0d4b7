import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { openDatabase } from "../../src/db/open.ts";
import { LATEST_SCHEMA, migrate, SchemaTooNewError, schemaVersion } from "../../src/db/migrate.ts";
import { MIGRATIONS } from "../../src/db/migrations/index.ts";
import { tempDir } from "../support/app.ts";

describe("migrations", () => {
  test("an empty database is brought to the latest schema with strict tables and the right pragmas", () => {
    const path = join(tempDir(), "vaultroom.db");
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
    expect((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    expect((db.query("PRAGMA synchronous").get() as { synchronous: number }).synchronous).toBe(2); // FULL
    expect((db.query("PRAGMA foreign_keys").get() as { foreign_keys: number }).foreign_keys).toBe(1);
    expect((db.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBeGreaterThan(0);
    const tables = db.query("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables) expect(table.sql).toContain("STRICT");
    db.close();
  });

  test("an existing database at an older version is migrated forward keeping its rows", () => {
    const path = join(tempDir(), "vaultroom.db");
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!.sql);
    old.exec("PRAGMA user_version = 1");
    old.exec("INSERT INTO settings (key, value) VALUES ('marker', 'kept')");
    old.close();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect(db.query("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: "kept" });
    db.close();
  });

  test("migrating twice changes nothing", () => {
    const db = openDatabase(":memory:");
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA, to: LATEST_SCHEMA });
    db.close();
  });

  test("a database from a newer VaultRoom is refused with a clear message", () => {
    const path = join(tempDir(), "vaultroom.db");
    const future = new Database(path);
    future.exec(`PRAGMA user_version = ${LATEST_SCHEMA + 1}`);
    future.close();
    expect(() => openDatabase(path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(path)).toThrow(/written by a newer VaultRoom/);
  });

  test("a failing migration leaves the database as it was", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"); // collides with 001
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.query("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'users'").get()).toEqual({ n: 0 });
    db.close();
  });
});
