// Postgres migrations: the same numbered list as SQLite (migrations/index.ts), applied under a
// session advisory lock so that nodes starting together apply each migration exactly once; the
// others wait, then find the schema current. Each migration commits with its version number.
import type { SQL } from "bun";
import { LATEST_SCHEMA, MIGRATIONS, SchemaTooNewError } from "../migrations/index.ts";

/** Arbitrary constants naming VaultRoom's advisory locks (pg_advisory_lock takes a bigint). */
export const MIGRATION_LOCK = 0x5641554c54_01n; // "VAULT" 01

export async function schemaVersion(sql: SQL): Promise<number> {
  const exists = await sql.unsafe(`SELECT to_regclass('vaultroom_schema') IS NOT NULL AS "exists"`);
  if (!exists[0]?.exists) return 0;
  const rows = await sql.unsafe(`SELECT version FROM vaultroom_schema`);
  return rows.length ? Number(rows[0].version) : 0;
}

export async function migratePostgres(sql: SQL): Promise<{ from: number; to: number }> {
  const conn = await sql.reserve();
  try {
    await conn.unsafe(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
    try {
      await conn.unsafe(`CREATE TABLE IF NOT EXISTS vaultroom_schema (version INTEGER NOT NULL)`);
      const rows = await conn.unsafe(`SELECT version FROM vaultroom_schema`);
      if (rows.length === 0) await conn.unsafe(`INSERT INTO vaultroom_schema (version) VALUES (0)`);
      const from = rows.length ? Number(rows[0].version) : 0;
      if (from > LATEST_SCHEMA) throw new SchemaTooNewError(from, LATEST_SCHEMA);
      for (let version = from + 1; version <= LATEST_SCHEMA; version++) {
        await conn.begin(async (tx) => {
          await tx.unsafe(MIGRATIONS[version - 1]!.postgres);
          await tx.unsafe(`UPDATE vaultroom_schema SET version = $1`, [version]);
        });
      }
      return { from, to: Math.max(from, LATEST_SCHEMA) };
    } finally {
      await conn.unsafe(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]);
    }
  } finally {
    conn.release();
  }
}
