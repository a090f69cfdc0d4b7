// `vaultroom doctor`: examines a data directory without changing it and says, in plain words, what
// is fine and what is wrong. A "problem" means data is damaged, missing or exposed (exit status 1);
// a "warning" is worth knowing but loses nothing (e.g. a stray file the server sweeps at start-up).
import { Database } from "bun:sqlite";
import { existsSync, statSync } from "node:fs";
import { databasePath } from "../db/data-dir.ts";
import type { AcmeConfig } from "../config.ts";
import { checkCertificate } from "./doctor-certificate.ts";
import { checkDatabase } from "./doctor-database.ts";
import { checkPermissions } from "./doctor-permissions.ts";
import { checkSecrets, checkStoredFiles } from "./doctor-storage.ts";

export type Level = "ok" | "warning" | "problem";

export interface Finding {
  level: Level;
  message: string;
}

export class Findings {
  readonly list: Finding[] = [];
  ok(message: string): void {
    this.list.push({ level: "ok", message });
  }
  warning(message: string): void {
    this.list.push({ level: "warning", message });
  }
  problem(message: string): void {
    this.list.push({ level: "problem", message });
  }
  get healthy(): boolean {
    return this.list.every((finding) => finding.level !== "problem");
  }
}

export interface DoctorOptions {
  dataDir: string;
  certsDir: string;
  /** With --domain, the ACME certificate is the one checked. */
  acme?: AcmeConfig | null;
}

export function examineDataDir(options: DoctorOptions): Findings {
  const findings = new Findings();
  const { dataDir } = options;
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    findings.problem(`there is no data directory at ${dataDir}: point --data at the server's data directory`);
    return findings;
  }
  checkPermissions(dataDir, options.certsDir, findings);
  checkCertificate(options.certsDir, options.acme ?? null, findings);
  const dbPath = databasePath(dataDir);
  if (!existsSync(dbPath)) {
    findings.problem(`there is no database (vaultroom.db) in ${dataDir}: point --data at the server's data directory`);
    return findings;
  }
  let db: Database;
  try {
    // Read-only: the doctor never changes what it examines, and may run beside a live server.
    db = new Database(dbPath, { readonly: true });
    db.exec("PRAGMA busy_timeout = 5000");
  } catch (error) {
    findings.problem(`the database cannot be opened: ${(error as Error).message}`);
    return findings;
  }
  try {
    if (checkDatabase(db, findings)) checkStoredFiles(db, dataDir, findings);
  } finally {
    db.close();
  }
  checkSecrets(dataDir, findings);
  return findings;
}
