import type { Database } from "bun:sqlite";
import { LATEST_SCHEMA, SchemaTooNewError } from "../db/migrations/index.ts";
import { schemaVersion } from "../db/sqlite/migrate.ts";
import type { Findings } from "./doctor.ts";

const MAX_LISTED = 5;

/** Schema version, integrity and foreign keys. Returns false when the tables cannot be trusted to be ours. */
export function checkDatabase(db: Database, findings: Findings): boolean {
  let version: number;
  try {
    version = schemaVersion(db);
  } catch (error) {
    findings.problem(`vaultroom.db cannot be read as a database: ${(error as Error).message}`);
    return false;
  }
  if (version > LATEST_SCHEMA) {
    findings.problem(new SchemaTooNewError(version, LATEST_SCHEMA).message);
    return false;
  }
  if (version === 0) findings.warning("the database has no schema yet: the server sets it up when it starts");
  else if (version < LATEST_SCHEMA) {
    findings.warning(
      `the database has schema version ${version}; this VaultRoom upgrades it to ${LATEST_SCHEMA} when the server starts ` +
        `(make a backup first)`,
    );
  } else findings.ok(`schema version ${version} is current`);

  let integrity: string[];
  try {
    integrity = (db.query("PRAGMA integrity_check").all() as { integrity_check: string }[]).map((row) => row.integrity_check);
  } catch (error) {
    findings.problem(`the database is damaged (${(error as Error).message}). Restore the latest backup`);
    return false;
  }
  if (integrity.length === 1 && integrity[0] === "ok") findings.ok("database integrity check passed");
  else {
    const shown = integrity.slice(0, MAX_LISTED).join("; ");
    const more = integrity.length > MAX_LISTED ? ` (and ${integrity.length - MAX_LISTED} more)` : "";
    findings.problem(`the database is damaged: ${shown}${more}. Restore the latest backup`);
  }

  const broken = db.query("PRAGMA foreign_key_check").all() as { table: string; parent: string }[];
  if (broken.length === 0) findings.ok("every reference between tables points at an existing row");
  else {
    const groups = new Map<string, number>();
    for (const row of broken) groups.set(`${row.table} -> ${row.parent}`, (groups.get(`${row.table} -> ${row.parent}`) ?? 0) + 1);
    for (const [pair, count] of groups) {
      const [table, parent] = pair.split(" -> ");
      findings.problem(`${count} row(s) in ${table} refer to rows missing from ${parent}`);
    }
  }
  return true;
}
