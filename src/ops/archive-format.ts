// The backup archive: a POSIX tar (ustar + pax) that standard `tar` can list and unpack, optionally
// wrapped in age passphrase encryption (`age -d FILE | tar t` works with the reference tools).
//
//   vaultroom.db      a consistent snapshot made with VACUUM INTO (never a copy of the live file)
//   secrets.json      the session signing key
//   files/<name>      every uploaded file under <data>/files/
//   manifest.json     written last, once every hash is known: format, versions, per-entry size + SHA-256
//
// Restore accepts only these names, only regular files and directories, and trusts nothing until
// each entry's hash matches the manifest.
import { OpsError } from "./ops-error.ts";

export const BACKUP_FORMAT = "vaultroom-backup";
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_NAME = "manifest.json";
export const DATABASE_NAME = "vaultroom.db";
export const SECRETS_NAME = "secrets.json";
export const FILES_DIR = "files";
/** The manifest is read into memory; a real one is a few hundred bytes per stored file. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
const MAX_PATH_LENGTH = 1024;

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  vaultroomVersion: string;
  schemaVersion: number;
  createdAt: string;
  entries: ManifestEntry[];
}

/**
 * True for names restore may write: the database, the secrets, or a plain relative path under
 * files/ whose segments are not empty, "." or "..", and hold no control characters or backslashes.
 */
export function isAllowedEntryPath(path: string): boolean {
  if (path === DATABASE_NAME || path === SECRETS_NAME) return true;
  if (path.length > MAX_PATH_LENGTH || !path.startsWith(FILES_DIR + "/")) return false;
  const segments = path.slice(FILES_DIR.length + 1).split("/");
  return segments.every(
    (segment) => segment !== "" && segment !== "." && segment !== ".." && !/[\u0000-\u001f\u007f\\]/.test(segment),
  );
}

export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new OpsError("the backup's manifest is not valid JSON: the archive is damaged", 1);
  }
  const value = raw as Partial<Manifest> | null;
  if (!value || typeof value !== "object" || value.format !== BACKUP_FORMAT) {
    throw new OpsError("this file is not a VaultRoom backup (its manifest has the wrong format)", 1);
  }
  if (value.version !== BACKUP_FORMAT_VERSION) {
    throw new OpsError(
      `this backup uses archive format ${String(value.version)}, but this VaultRoom reads only format ` +
        `${BACKUP_FORMAT_VERSION}: restore it with the VaultRoom version that made it`,
      1,
    );
  }
  if (!Number.isSafeInteger(value.schemaVersion) || (value.schemaVersion as number) < 1) {
    throw new OpsError("the backup's manifest has no valid schema version: the archive is damaged", 1);
  }
  if (!Array.isArray(value.entries)) throw new OpsError("the backup's manifest lists no entries: the archive is damaged", 1);
  const seen = new Set<string>();
  for (const entry of value.entries as unknown[]) {
    const e = entry as Partial<ManifestEntry> | null;
    const valid =
      !!e &&
      typeof e.path === "string" &&
      isAllowedEntryPath(e.path) &&
      Number.isSafeInteger(e.size) &&
      (e.size as number) >= 0 &&
      typeof e.sha256 === "string" &&
      /^[0-9a-f]{64}$/.test(e.sha256);
    if (!valid || seen.has(e!.path!)) {
      throw new OpsError("the backup's manifest has a malformed or repeated entry: the archive is damaged", 1);
    }
    seen.add(e!.path!);
  }
  return value as Manifest;
}
