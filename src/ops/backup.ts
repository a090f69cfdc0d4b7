// `vaultroom backup`: a consistent online backup while the server keeps running and writing.
// The database is copied with VACUUM INTO on a separate read-only connection: it reads one WAL
// snapshot, so the copy is exactly the committed state at one instant and never blocks the writer.
// A raw copy of vaultroom.db could miss committed pages still in the -wal file or catch a torn page.
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { readFileSync } from "node:fs";
import { databasePath } from "../db/data-dir.ts";
import { LATEST_SCHEMA, SchemaTooNewError } from "../db/migrations/index.ts";
import { schemaVersion } from "../db/sqlite/migrate.ts";
import { VERSION } from "../version.ts";
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, DATABASE_NAME, SECRETS_NAME, type ManifestEntry } from "./archive-format.ts";
import { writeArchive } from "./archive-writer.ts";
import { fsyncDirectory, listStoredFiles, randomSuffix } from "./data-files.ts";
import { OpsError } from "./ops-error.ts";
import { readFileRecords, type FileRecords } from "./stored-files.ts";
import { exportPostgres } from "./postgres-export.ts";

export interface BackupOptions {
  dataDir: string;
  file: string;
  passphrase: string | null;
  /** A cluster's Postgres: its data is exported into the archive's database file (postgres-export.ts). */
  databaseUrl?: string | null;
  /** Where uploaded files live (--files); <data>/files by default. */
  filesDir?: string;
  /** The cluster's secrets file (--secrets-file): its TOTP key goes into the archive's secrets.json. */
  secretsFile?: string;
}

export interface BackupSummary {
  file: string;
  files: number;
  archiveBytes: number;
  schemaVersion: number;
  encrypted: boolean;
  /** False when the data directory had no secrets.json yet. */
  secrets: boolean;
  warnings: string[];
}

export async function createBackup(options: BackupOptions): Promise<BackupSummary> {
  const dataDir = resolve(options.dataDir);
  const target = resolve(options.file);
  const databaseUrl = options.databaseUrl ?? null;
  checkPlaces(dataDir, target, databaseUrl === null);

  // Staging lives inside the data directory (0700): the plaintext snapshot never leaves its protection.
  const staging = join(dataDir, `.backup-${randomSuffix()}`);
  const partial = `${target}.partial-${randomSuffix()}`;
  mkdirSync(staging, { mode: 0o700 });
  const warnings: string[] = [];
  try {
    const snapshot = join(staging, DATABASE_NAME);
    let secretsPath = options.secretsFile ?? join(dataDir, SECRETS_NAME);
    let version: number;
    let records: FileRecords | null;
    if (databaseUrl === null) ({ version, records } = snapshotDatabase(databasePath(dataDir), snapshot));
    else {
      // The cluster's data, read in one snapshot, becomes the same archive a lone server makes: it
      // restores onto either engine (restore, then migrate-db for Postgres).
      const exported = await exportPostgres(databaseUrl, snapshot);
      version = exported.version;
      records = exported.records;
      secretsPath = join(staging, SECRETS_NAME);
      // The TOTP key lives only in the nodes' secrets file: without it the restored TOTP secrets
      // could never be opened again.
      const totpKey = readTotpKey(options.secretsFile ?? join(dataDir, SECRETS_NAME));
      if (totpKey === null) warnings.push(`the secrets file has no TOTP key: two-factor secrets in this backup cannot be opened after a restore`);
      writeFileSync(secretsPath, JSON.stringify({ sessionKey: exported.sessionKey, ...(totpKey ? { totpKey } : {}) }, null, 2) + "\n", { mode: 0o600 });
    }
    let files = 0;
    let hasSecrets = false;
    await writeArchive(partial, options.passphrase, async (append) => {
      const entries: ManifestEntry[] = [];
      const database = await append(DATABASE_NAME, snapshot);
      if (!database) throw new OpsError("the database snapshot vanished while the backup ran", 1);
      entries.push(database);
      const secrets = await append(SECRETS_NAME, secretsPath);
      hasSecrets = secrets !== null;
      if (secrets) entries.push(secrets);
      else warnings.push(`${SECRETS_NAME} does not exist yet (the server creates it on first start); the backup has none`);
      const listing = listStoredFiles(dataDir, options.filesDir);
      for (const skipped of listing.skipped) warnings.push(`${skipped} is not a regular file and was left out`);
      // With a files table, the snapshot says which files exist: exactly those are copied. Files on
      // disk without a row there are uploads committed after the snapshot (or strays the server
      // sweeps at start-up); restoring them would only leave orphans.
      const wanted = records ? listing.files.filter((file) => records.byPath.has(file.path)) : listing.files;
      if (wanted.length < listing.files.length) {
        const strays = listing.files.length - wanted.length;
        warnings.push(`${strays} file(s) under files/ have no record in the database and were left out (the server removes such strays at start-up)`);
      }
      const copied = new Set<string>();
      for (const file of wanted) {
        const entry = await append(file.path, file.absolute);
        if (!entry) continue;
        const record = records?.byPath.get(file.path);
        if (record && record.sha256 !== entry.sha256) {
          warnings.push(`${file.path} does not match its recorded SHA-256 (damaged on disk); copied as it is: run \`vaultroom doctor\``);
        }
        entries.push(entry);
        copied.add(file.path);
        files++;
      }
      for (const path of records?.byPath.keys() ?? []) {
        if (!copied.has(path)) {
          warnings.push(`${path} is recorded in the database but was missing from disk (deleted while the backup ran?)`);
        }
      }
      return {
        format: BACKUP_FORMAT,
        version: BACKUP_FORMAT_VERSION,
        vaultroomVersion: VERSION,
        schemaVersion: version,
        createdAt: new Date().toISOString(),
        entries,
      };
    });
    renameSync(partial, target);
    fsyncDirectory(dirname(target));
    return {
      file: target,
      files,
      archiveBytes: statSync(target).size,
      schemaVersion: version,
      encrypted: options.passphrase !== null,
      secrets: hasSecrets,
      warnings,
    };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function checkPlaces(dataDir: string, target: string, embedded: boolean): void {
  if (!embedded && !existsSync(dataDir)) throw new OpsError(`there is no data directory ${dataDir} to stage the backup in: point --data at this node's data directory`, 2);
  if (embedded && !existsSync(databasePath(dataDir))) {
    throw new OpsError(`there is no VaultRoom database in ${dataDir}: point --data at the server's data directory`, 2);
  }
  const fromData = relative(dataDir, target);
  const outside = fromData === ".." || fromData.startsWith(".." + sep) || isAbsolute(fromData);
  if (!outside) {
    throw new OpsError(`write the backup outside the data directory ${dataDir}, not into it`, 2);
  }
  const parent = dirname(target);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) {
    throw new OpsError(`cannot write ${target}: the directory ${parent} does not exist`, 2);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new OpsError(`${target} is a directory: give the backup a file name`, 2);
  }
}

/** VACUUM INTO from a read-only connection, then a full integrity check of the copy. */
function snapshotDatabase(livePath: string, snapshotPath: string): { version: number; records: FileRecords | null } {
  const live = new Database(livePath, { readonly: true });
  try {
    live.exec("PRAGMA busy_timeout = 5000");
    const liveVersion = schemaVersion(live);
    if (liveVersion > LATEST_SCHEMA) throw new OpsError(new SchemaTooNewError(liveVersion, LATEST_SCHEMA).message, 1);
    live.query("VACUUM INTO ?").run(snapshotPath);
  } finally {
    live.close();
  }
  const copy = new Database(snapshotPath, { readonly: true });
  try {
    const rows = copy.query("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]!.integrity_check !== "ok") {
      throw new OpsError("the database fails its integrity check, so no backup was made: run `vaultroom doctor`", 1);
    }
    return { version: schemaVersion(copy), records: readFileRecords(copy) };
  } finally {
    copy.close();
  }
}

function readTotpKey(file: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { totpKey?: unknown };
    return typeof parsed.totpKey === "string" ? parsed.totpKey : null;
  } catch {
    return null;
  }
}
