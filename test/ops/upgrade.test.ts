// A data directory made by the first schema version keeps every row when a newer VaultRoom opens it;
// a database from a newer VaultRoom is refused, with the same clear message everywhere.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { databasePath, ensureDataDir } from "../../src/db/data-dir.ts";
import { LATEST_SCHEMA, MIGRATIONS, SchemaTooNewError } from "../../src/db/migrations/index.ts";
import { schemaVersion } from "../../src/db/sqlite/migrate.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { loadOrCreateSecrets } from "../../src/secrets.ts";
import { tempDir } from "../support/app.ts";
import { runCli } from "./support.ts";

const V1_TABLES = ["settings", "users", "sessions", "invites", "audit_log"];

/** What a server at schema version 1 would have left: only migration 001 applied, real-looking rows. */
function firstVersionDataDir(): string {
  const data = join(tempDir(), "data");
  ensureDataDir(data);
  loadOrCreateSecrets(data);
  const db = new Database(databasePath(data));
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(MIGRATIONS[0]!.sqlite);
  db.exec("PRAGMA user_version = 1");
  db.exec("PRAGMA foreign_keys = ON");
  const user = db.query(
    `INSERT INTO users (username, username_key, skeleton, password_hash, display_name, is_admin, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  user.run("Admin", "admin", "admin", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", "The Admin", 1, 1_700_000_000_000);
  user.run("zoë", "zoë", "zoe", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdDI$aGFzaDI", "Zoë 🌻 <b>not bold</b>", 0, 1_700_000_100_000);
  db.query(
    `INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
     VALUES (?, ?, 2, 1700000200000, 1700000300000, 1800000000000, 'Firefox', '192.0.2.7')`,
  ).run("s_first", new Uint8Array(32).fill(7));
  db.query(`INSERT INTO invites (id, token_hash, created_by, created_at, expires_at, max_uses, uses) VALUES ('inv1', ?, 1, 1, 2, 5, 1)`).run(
    new Uint8Array(32).fill(9),
  );
  db.query(`INSERT INTO audit_log (at, event, actor_id, target, ip, detail) VALUES (1700000000001, 'user.created', 1, 'user:2', '192.0.2.1', '{}')`).run();
  db.query(`INSERT INTO settings (key, value) VALUES ('server_name', 'Our Vault')`).run();
  db.close();
  keepPrivate(data);
  return data;
}

/** The server keeps its database files 0600; connections opened by this test use the test's umask. */
function keepPrivate(data: string): void {
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(databasePath(data) + suffix)) chmodSync(databasePath(data) + suffix, 0o600);
  }
}

/** Every row of the first version's tables, restricted to the columns that version had. */
function snapshotV1(path: string, columns?: Map<string, string[]>) {
  const db = new Database(path, { readonly: true });
  try {
    const cols = columns ?? new Map(V1_TABLES.map((table) => [table, (db.query(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)]));
    const rows = Object.fromEntries(
      // Table and column names come from the fixed list above and from SQLite itself, never from input.
      V1_TABLES.map((table) => [table, db.query(`SELECT ${cols.get(table)!.join(", ")} FROM ${table} ORDER BY rowid`).all()]),
    );
    return { cols, rows };
  } finally {
    db.close();
  }
}

describe("schema upgrades", () => {
  test("a data directory from the first schema version is migrated forward with nothing lost", async () => {
    const data = firstVersionDataDir();
    const before = snapshotV1(databasePath(data));
    expect(before.rows.users).toHaveLength(2);
    keepPrivate(data);

    const doctor = await runCli(["doctor", "--data", data, "--certs", join(data, "..", "certs")]);
    expect(doctor.exitCode).toBe(0);
    expect(doctor.stdout).toContain(`the database has schema version 1; this VaultRoom upgrades it to ${LATEST_SCHEMA} when the server starts`);

    const db = openDatabase(databasePath(data));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA);
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
    db.close();

    const after = snapshotV1(databasePath(data), before.cols);
    // Nothing lost or changed; migration 012 only adds that an existing server needs no first-run setup.
    const settingsAdded = (after.rows.settings as { key: string; value: string }[]).filter((row) => !(before.rows.settings as { key: string }[]).some((old) => old.key === row.key));
    expect(settingsAdded).toEqual([{ key: "setup_completed", value: "1" }]);
    const kept: Record<string, unknown[]> = { ...after.rows, settings: (after.rows.settings as { key: string }[]).filter((row) => row.key !== "setup_completed") };
    expect(kept).toEqual(before.rows);
    keepPrivate(data);
    const healthy = await runCli(["doctor", "--data", data, "--certs", join(data, "..", "certs")]);
    expect(healthy.stdout).toContain(`schema version ${LATEST_SCHEMA} is current`);
    expect(healthy.exitCode).toBe(0);
  });

  test("a database from a newer VaultRoom is refused by openDatabase, doctor, backup and serve with the same message", async () => {
    const data = join(tempDir(), "data");
    ensureDataDir(data);
    loadOrCreateSecrets(data);
    const future = new Database(databasePath(data));
    future.exec(`CREATE TABLE from_the_future (x INTEGER); PRAGMA user_version = ${LATEST_SCHEMA + 1}`);
    future.close();
    const message = new SchemaTooNewError(LATEST_SCHEMA + 1, LATEST_SCHEMA).message;
    expect(message).toContain("written by a newer VaultRoom");

    expect(() => openDatabase(databasePath(data))).toThrow(message);

    const doctor = await runCli(["doctor", "--data", data, "--certs", join(data, "..", "certs")]);
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toContain(`PROBLEM  ${message}`);

    const backup = await runCli(["backup", join(data, "..", "b.tar"), "--data", data]);
    expect(backup.exitCode).toBe(1);
    expect(backup.stderr).toBe(`vaultroom: ${message}\n`);

    const serve = await runCli(["serve", "--data", data, "--certs", join(data, "..", "certs"), "--host", "127.0.0.1", "--port", "0"]);
    expect(serve.exitCode).toBe(1);
    expect(serve.stderr).toContain(message);
    // Refusing changed nothing: the newer schema is still there for the newer VaultRoom.
    const check = new Database(databasePath(data), { readonly: true });
    expect(schemaVersion(check)).toBe(LATEST_SCHEMA + 1);
    check.close();
  });
});
