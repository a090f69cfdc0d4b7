// What the database says about the bytes under <data>/files/ (see src/db/migrations/003_files.sql and
// src/files/storage.ts): a `files` row names <data>/files/<id> and records its size and SHA-256 (hex);
// `file_trash` lists ids whose bytes are about to be unlinked. Older schemas have neither table.
import type { Database } from "bun:sqlite";
import { FILES_DIR } from "./archive-format.ts";

export interface FileRecord {
  size: number;
  sha256: string;
}

export interface FileRecords {
  /** Keyed by archive-style path, "files/<id>". */
  byPath: Map<string, FileRecord>;
  /** Paths whose rows are gone and whose bytes the server will unlink shortly. */
  trashed: Set<string>;
}

/** Uploads being received are written as <id>.part and renamed when complete. */
export const PARTIAL_UPLOAD_SUFFIX = ".part";

function hasTable(db: Database, name: string): boolean {
  return db.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== null;
}

/** The file rows of this database, or null when its schema predates stored files. */
export function readFileRecords(db: Database): FileRecords | null {
  if (!hasTable(db, "files")) return null;
  const byPath = new Map<string, FileRecord>();
  for (const row of db.query("SELECT id, size, sha256 FROM files").all() as { id: string; size: number; sha256: string }[]) {
    byPath.set(`${FILES_DIR}/${row.id}`, { size: row.size, sha256: row.sha256.toLowerCase() });
  }
  const trashed = new Set<string>();
  if (hasTable(db, "file_trash")) {
    for (const row of db.query("SELECT id FROM file_trash").all() as { id: string }[]) trashed.add(`${FILES_DIR}/${row.id}`);
  }
  return { byPath, trashed };
}
