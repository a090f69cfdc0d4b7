// `vaultroom audit verify` and `vaultroom audit export`: read-only, beside a running server (SQLite
// WAL or Postgres reads). Verify needs the audit key: it reads the same secrets file the server
// uses (--secrets-file, default <data>/secrets.json), and never creates one.
import { existsSync, readFileSync } from "node:fs";
import type { Config } from "../config.ts";
import { databasePath } from "../db/data-dir.ts";
import { openStore } from "../db/open-store.ts";
import type { Store } from "../db/store.ts";
import { exportAudit } from "../audit/export.ts";
import { verifyAudit } from "../audit/verify.ts";

type Output = { out: (text: string) => void; err: (text: string) => void };
const stdio: Output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) };

async function withStore(config: Config, io: Output, run: (store: Store) => Promise<number>): Promise<number> {
  if (config.databaseUrl === null && !existsSync(databasePath(config.dataDir))) {
    io.err(`vaultroom: no VaultRoom data in ${config.dataDir} (use --data DIR)\n`);
    return 1;
  }
  const store = await openStore(config, { applicationName: "vaultroom-audit" });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

function readAuditKey(file: string): string | null {
  if (!existsSync(file)) return null;
  const key = (JSON.parse(readFileSync(file, "utf8")) as { auditKey?: unknown }).auditKey;
  return typeof key === "string" && key.length >= 43 ? key : null;
}

export async function auditVerify(config: Config, io: Output = stdio): Promise<number> {
  const key = readAuditKey(config.secretsFile);
  if (!key) {
    io.err(`vaultroom: ${config.secretsFile} holds no audit key: point --secrets-file (or --data) at the server's secrets file\n`);
    return 2;
  }
  return withStore(config, io, async (store) => {
    const report = await verifyAudit(store.read, key);
    const range = report.entries ? `entries #${report.firstEntryId}–#${report.lastEntryId}` : "no entries";
    if (report.ok) {
      io.out(`audit log OK: ${report.entries} entries (${range}), ${report.checkpoints} signed checkpoints, ${report.unsigned} entries after the newest checkpoint\n`);
      return 0;
    }
    const problem = report.problem!;
    io.out(`audit log FAILED at entry #${problem.entryId ?? "?"} (${problem.kind}): ${problem.message}\n`);
    return 1;
  });
}

export async function auditExport(config: Config, since: number | null, io: Output = stdio): Promise<number> {
  return withStore(config, io, async (store) => {
    await exportAudit(store.read, since, (line) => io.out(line + "\n"));
    return 0;
  });
}
