import type { Config } from "../config.ts";
import { migrateToPostgres } from "../ops/migrate-db.ts";
import { reportFailure } from "./ops-output.ts";

export async function runMigrateDb(to: string, config: Config): Promise<number> {
  try {
    process.stdout.write(`Copying ${config.dataDir} into Postgres…\n`);
    const summary = await migrateToPostgres({ dataDir: config.dataDir, url: to, onTable: (table, rows) => process.stdout.write(`  ${table}: ${rows} row(s)\n`) });
    process.stdout.write(`Verified: every table has the same rows and the same SHA-256 in ${summary.target}:\n`);
    for (const table of summary.tables) process.stdout.write(`  ${table.table.padEnd(24)} ${String(table.rows).padStart(9)}  ${table.sha256}\n`);
    process.stdout.write(
      `Start the server with --database ${summary.target} (and --redis for more than one node);\n` +
        `keep --files pointing at ${config.filesDir}, and give every node --secrets-file ${config.secretsFile}\n` +
        `(its keys sealed the two-factor secrets and sign the audit trail). The SQLite file is left as it was.\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure("migrate-db", error);
  }
}
