// `vaultroom restore FILE --data DIR`: unpacks a backup into an empty (or new) directory. Entries are
// written into a staging folder inside the target, every hash is checked against the manifest and
// the database passes an integrity check before anything is moved into place; on any failure the
// target is left as empty as it was found.
import { Database } from "bun:sqlite";
import { chmodSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { LATEST_SCHEMA, SchemaTooNewError } from "../db/migrations/index.ts";
import { schemaVersion } from "../db/sqlite/migrate.ts";
import { DATABASE_NAME, FILES_DIR, SECRETS_NAME, type Manifest } from "./archive-format.ts";
import { unpack, type Written } from "./archive-reader.ts";
import { fsyncDirectory, randomSuffix } from "./data-files.ts";
import { decryptStream, isEncryptedFile } from "./encryption.ts";
import { OpsError } from "./ops-error.ts";

export interface RestoreOptions {
  file: string;
  dataDir: string;
  passphrase: string | null;
}

export interface RestoreSummary {
  dataDir: string;
  files: number;
  schemaVersion: number;
  createdAt: string;
  vaultroomVersion: string;
  warnings: string[];
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const file = resolve(options.file);
  const dataDir = resolve(options.dataDir);
  if (!existsSync(file) || !statSync(file).isFile()) throw new OpsError(`there is no backup file at ${file}`, 2);
  const encrypted = isEncryptedFile(file);
  if (encrypted && options.passphrase === null) {
    throw new OpsError("this backup is encrypted: give its passphrase with --passphrase-file FILE", 2);
  }
  const warnings = !encrypted && options.passphrase !== null ? ["this backup is not encrypted; the passphrase was not needed"] : [];
  const createdTarget = prepareTarget(dataDir);
  const staging = join(dataDir, `.restore-${randomSuffix()}`);
  mkdirSync(staging, { mode: 0o700 });
  try {
    const input = encrypted
      ? Readable.fromWeb((await decryptStream(Bun.file(file).stream(), options.passphrase!)) as unknown as NodeReadableStream)
      : createReadStream(file);
    const { written, manifest } = await unpack(input, staging);
    verifyAgainstManifest(written, manifest);
    checkRestoredDatabase(join(staging, DATABASE_NAME), manifest.schemaVersion);
    moveIntoPlace(staging, dataDir);
    return {
      dataDir,
      files: manifest.entries.filter((entry) => entry.path.startsWith(FILES_DIR + "/")).length,
      schemaVersion: manifest.schemaVersion,
      createdAt: manifest.createdAt,
      vaultroomVersion: manifest.vaultroomVersion,
      warnings,
    };
  } catch (error) {
    if (createdTarget) rmSync(dataDir, { recursive: true, force: true });
    else rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Returns true when the directory was created here (so a failed restore removes it again). */
function prepareTarget(dataDir: string): boolean {
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory()) throw new OpsError(`${dataDir} exists and is not a directory`, 2);
    const present = readdirSync(dataDir);
    if (present.length > 0) {
      throw new OpsError(
        `refusing to restore into ${dataDir}: it is not empty (${present.length} entries). ` +
          `Restore into a new or empty directory and point --data at it`,
        2,
      );
    }
    chmodSync(dataDir, 0o700);
    return false;
  }
  if (!existsSync(dirname(dataDir))) mkdirSync(dirname(dataDir), { recursive: true, mode: 0o700 });
  mkdirSync(dataDir, { mode: 0o700 });
  chmodSync(dataDir, 0o700);
  return true;
}

function verifyAgainstManifest(written: Map<string, Written>, manifest: Manifest): void {
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    listed.add(entry.path);
    const actual = written.get(entry.path);
    if (!actual) throw new OpsError(`${entry.path} is listed in the manifest but missing from the backup: it is damaged`, 1);
    if (actual.size !== entry.size || actual.sha256 !== entry.sha256) {
      throw new OpsError(`${entry.path} does not match its recorded SHA-256: the backup is damaged`, 1);
    }
  }
  for (const path of written.keys()) {
    if (!listed.has(path)) throw new OpsError(`the backup holds ${path}, which its manifest does not list: refusing it`, 1);
  }
  if (!listed.has(DATABASE_NAME)) throw new OpsError("the backup holds no database: it is damaged", 1);
}

function checkRestoredDatabase(path: string, expectedVersion: number): void {
  const db = new Database(path, { readonly: true });
  try {
    const version = schemaVersion(db);
    if (version !== expectedVersion) {
      throw new OpsError(`the restored database has schema version ${version} but the manifest says ${expectedVersion}`, 1);
    }
    if (version > LATEST_SCHEMA) throw new OpsError(new SchemaTooNewError(version, LATEST_SCHEMA).message, 1);
    const rows = db.query("PRAGMA integrity_check").all() as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]!.integrity_check !== "ok") {
      throw new OpsError("the restored database fails its integrity check: the backup is damaged", 1);
    }
  } finally {
    db.close();
  }
}

function moveIntoPlace(staging: string, dataDir: string): void {
  for (const name of [DATABASE_NAME, SECRETS_NAME, FILES_DIR]) {
    if (existsSync(join(staging, name))) renameSync(join(staging, name), join(dataDir, name));
  }
  if (!existsSync(join(dataDir, FILES_DIR))) mkdirSync(join(dataDir, FILES_DIR), { mode: 0o700 });
  rmSync(staging, { recursive: true, force: true });
  setModes(dataDir);
  fsyncDirectory(join(dataDir, FILES_DIR));
  fsyncDirectory(dataDir);
}

/** Directories 0700, files 0600, whatever the umask or the archive's headers said. */
function setModes(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
  if (stat.isDirectory()) for (const name of readdirSync(path)) setModes(join(path, name));
}
