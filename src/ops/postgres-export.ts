// A cluster's data as one SQLite file: every table (tables.ts) read inside one REPEATABLE READ, READ
// ONLY transaction — a single consistent instant while the nodes keep writing — and written into a
// fresh file with the current schema. The backup archive carries that file, so a Postgres backup
// restores like any other (and onto Postgres again with migrate-db).
import { SQL } from "bun";
import { PgConn } from "../db/postgres/connection.ts";
import { schemaVersion as postgresSchemaVersion } from "../db/postgres/migrate.ts";
import { LATEST_SCHEMA } from "../db/migrations/index.ts";
import { SqliteConn } from "../db/sqlite/connection.ts";
import { openDatabase } from "../db/sqlite/open.ts";
import { OpsError } from "./ops-error.ts";
import { readFileRecords, type FileRecords } from "./stored-files.ts";
import { checksums, copyTables } from "./table-copy.ts";

export async function exportPostgres(url: string, path: string): Promise<{ version: number; records: FileRecords | null; sessionKey: string }> {
  const sql = new SQL({ url, bigint: true, max: 1, connectionTimeout: 5 });
  const target = openDatabase(path);
  try {
    const version = await postgresSchemaVersion(sql);
    if (version !== LATEST_SCHEMA) {
      throw new OpsError(`the cluster's schema is version ${version} but this VaultRoom writes version ${LATEST_SCHEMA}: back up with the VaultRoom the nodes run`, 1);
    }
    let sessionKey = "";
    target.exec("BEGIN");
    target.exec("DELETE FROM settings");
    await sql.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", async (tx) => {
      const from = new PgConn(tx, false);
      const into = new SqliteConn(target);
      await copyTables(from, into);
      const [before, after] = [await checksums(from), await checksums(into)];
      for (const [i, report] of before.entries()) {
        if (report.sha256 !== after[i]!.sha256) throw new OpsError(`table ${report.table} did not copy faithfully; no backup was made`, 1);
      }
      const rows = (await tx.unsafe(`SELECT value FROM settings WHERE key = 'secret.session_key'`)) as { value: string }[];
      sessionKey = rows[0]?.value ?? "";
    });
    target.exec("COMMIT");
    // A self-contained file, like the VACUUM INTO snapshot of a lone server: no -wal beside it.
    target.exec("PRAGMA journal_mode = DELETE");
    if (sessionKey.length < 43) throw new OpsError("the cluster has no session key in its settings: start a node once before backing up", 1);
    return { version, records: readFileRecords(target), sessionKey };
  } finally {
    if (target.inTransaction) target.exec("ROLLBACK");
    target.close();
    await sql.close();
  }
}
