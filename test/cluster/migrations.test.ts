// The Postgres schema: built from empty to the same version as SQLite's, upgraded from the previous
// version keeping its rows, refused when newer than this VaultRoom, and applied exactly once when
// several nodes start at the same moment (an advisory lock).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { SQL } from "bun";
import { LATEST_SCHEMA, MIGRATIONS } from "../../src/db/migrations/index.ts";
import { migratePostgres, schemaVersion } from "../../src/db/postgres/migrate.ts";
import { openPostgresStore } from "../../src/db/postgres/store.ts";
import { startServices, type Services } from "./services.ts";

setDefaultTimeout(30_000);

let services: Services;
beforeAll(async () => {
  services = await startServices();
});
afterAll(async () => {
  await services?.stop();
});

const tablesOf = async (sql: SQL) =>
  ((await sql.unsafe(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)) as { name: string }[]).map((r) => r.name);

describe("Postgres migrations", () => {
  test("every migration exists for both engines under the same number and name", () => {
    expect(MIGRATIONS.length).toBe(LATEST_SCHEMA);
    for (const migration of MIGRATIONS) {
      expect(migration.sqlite.trim().length).toBeGreaterThan(0);
      expect(migration.postgres.trim().length).toBeGreaterThan(0);
    }
  });

  test("an empty database is brought to the latest schema, with the same tables as SQLite", async () => {
    const url = await services.freshDatabase();
    const store = await openPostgresStore(url);
    try {
      expect(await schemaVersion(store.sql)).toBe(LATEST_SCHEMA);
      const tables = await tablesOf(store.sql);
      for (const name of ["users", "sessions", "invites", "audit_log", "settings", "rooms", "room_members", "messages", "files", "file_trash", "events"]) {
        expect(tables).toContain(name);
      }
    } finally {
      await store.close();
    }
  });

  test("a database at the previous version is upgraded, keeping its rows", async () => {
    const url = await services.freshDatabase();
    const sql = new SQL({ url, max: 1 });
    try {
      await sql.unsafe(`CREATE TABLE vaultroom_schema (version INTEGER NOT NULL)`);
      await sql.unsafe(`INSERT INTO vaultroom_schema (version) VALUES (0)`);
      for (const migration of MIGRATIONS.slice(0, LATEST_SCHEMA - 1)) await sql.unsafe(migration.postgres);
      await sql.unsafe(`UPDATE vaultroom_schema SET version = ${LATEST_SCHEMA - 1}`);
      await sql.unsafe(`INSERT INTO settings (key, value) VALUES ('marker', 'kept')`);
      expect(await migratePostgres(sql)).toEqual({ from: LATEST_SCHEMA - 1, to: LATEST_SCHEMA });
      expect(await sql.unsafe(`SELECT value FROM settings WHERE key = 'marker'`)).toEqual([{ value: "kept" }]);
      // Twice changes nothing.
      expect(await migratePostgres(sql)).toEqual({ from: LATEST_SCHEMA, to: LATEST_SCHEMA });
    } finally {
      await sql.close();
    }
  });

  test("a database from a newer VaultRoom is refused with a clear message", async () => {
    const url = await services.freshDatabase();
    const sql = new SQL({ url, max: 1 });
    try {
      await sql.unsafe(`CREATE TABLE vaultroom_schema (version INTEGER NOT NULL)`);
      await sql.unsafe(`INSERT INTO vaultroom_schema (version) VALUES (${LATEST_SCHEMA + 1})`);
      await expect(migratePostgres(sql)).rejects.toThrow(/written by a newer VaultRoom/);
    } finally {
      await sql.close();
    }
  });

  test("eight nodes starting at once apply each migration exactly once", async () => {
    const url = await services.freshDatabase();
    const stores = await Promise.all(Array.from({ length: 8 }, () => openPostgresStore(url)));
    try {
      expect(await schemaVersion(stores[0]!.sql)).toBe(LATEST_SCHEMA);
      // The first migration's seed row would be doubled (or fail) if 001 had run twice.
      const rows = (await stores[0]!.sql.unsafe(`SELECT count(*)::int AS n FROM settings WHERE key = 'registration_mode'`)) as { n: number }[];
      expect(rows[0]!.n).toBe(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
