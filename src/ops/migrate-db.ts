// `vaultroom migrate-db --to postgres://…`: moves a stopped server's data from its SQLite file into
// an empty Postgres database, ids and all, in one transaction, then proves the copy table by table
// (row count and SHA-256 of every row in key order, on both sides). The files directory is reused as
// it is; the session key moves into the database so everyone stays logged in.
import { sql } from "../db/query.ts";
import { databasePath } from "../db/data-dir.ts";
import { PgConn } from "../db/postgres/connection.ts";
import { openPostgresStore, redactUrl } from "../db/postgres/store.ts";
import { SqliteConn } from "../db/sqlite/connection.ts";
import { openDatabase } from "../db/sqlite/open.ts";
import { existsSync } from "node:fs";
import { loadOrCreateSecrets } from "../secrets.ts";
import { OpsError } from "./ops-error.ts";
import { checksums, copyTables, type TableReport } from "./table-copy.ts";
import { TABLES } from "./tables.ts";

export interface MigrateSummary {
  target: string;
  tables: TableReport[];
}

const anyRow = (table: string) => sql<{ found: number }, []>(`SELECT 1 AS found FROM ${table} LIMIT 1`);

export async function migrateToPostgres(options: { dataDir: string; url: string; onTable?: (table: string, rows: number) => void }): Promise<MigrateSummary> {
  const path = databasePath(options.dataDir);
  if (!existsSync(path)) throw new OpsError(`there is no VaultRoom database in ${options.dataDir}: point --data at the server's data directory`, 2);
  // Brings an older file to the current schema first, so both sides have the same tables.
  openDatabase(path).close();
  const source = openDatabase(path, { readonly: true });
  const secrets = loadOrCreateSecrets(options.dataDir);
  const target = await openPostgresStore(options.url, { applicationName: "vaultroom-migrate-db" });
  try {
    for (const table of TABLES) {
      if (table.name === "settings") continue;
      if (await target.read.get(anyRow(table.name))) {
        throw new OpsError(`the Postgres database ${redactUrl(options.url)} is not empty (table ${table.name} has rows): migrate into a new, empty database`, 2);
      }
    }
    // One read transaction: the copy is one consistent instant of the source, even if something wrote.
    source.exec("BEGIN");
    let tables: TableReport[] = [];
    const from = new SqliteConn(source);
    await target.sql.begin(async (tx) => {
      const into = new PgConn(tx, false);
      // The settings rows a new schema starts with are replaced by the server's own.
      await tx.unsafe("DELETE FROM settings");
      await copyTables(from, into, options.onTable);
      for (const table of TABLES) {
        if (!table.identity) continue;
        // Identity values continue after the copied ids (new messages get larger ids, as before).
        await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${table.name}', '${table.identity}'), GREATEST((SELECT max(${table.identity}) FROM ${table.name}), 1))`);
      }
      await tx.unsafe(`INSERT INTO settings (key, value) VALUES ('secret.session_key', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [secrets.sessionKey]);
      // The VAPID keys too: browsers' push subscriptions are bound to the public key.
      await tx.unsafe(`INSERT INTO settings (key, value) VALUES ('secret.vapid', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [JSON.stringify(secrets.vapid)]);
      // Proven before the commit: a copy that differs is rolled back, leaving the database empty.
      const before = await checksums(from);
      const after = await checksums(into);
      for (const [i, report] of before.entries()) {
        const copied = after[i]!;
        if (report.rows !== copied.rows || report.sha256 !== copied.sha256) {
          throw new OpsError(
            `table ${report.table} differs after the copy (${report.rows} rows, ${report.sha256.slice(0, 12)} here; ` +
              `${copied.rows} rows, ${copied.sha256.slice(0, 12)} in Postgres); nothing was kept`,
            1,
          );
        }
      }
      tables = after;
    });
    source.exec("COMMIT");
    return { target: redactUrl(options.url), tables };
  } finally {
    if (source.inTransaction) source.exec("ROLLBACK");
    source.close();
    await target.close();
  }
}
