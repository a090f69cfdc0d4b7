import type { Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { SECRETS_NAME } from "./archive-format.ts";
import { listStoredFiles } from "./data-files.ts";
import type { Findings } from "./doctor.ts";
import { readFileRecords } from "./stored-files.ts";

const MAX_LISTED = 20;

/** Every recorded file is on disk with its recorded size and SHA-256; nothing on disk lacks a record. */
export function checkStoredFiles(db: Database, dataDir: string, findings: Findings): void {
  const records = readFileRecords(db);
  const listing = listStoredFiles(dataDir);
  for (const path of listing.skipped.slice(0, MAX_LISTED)) {
    findings.warning(`${path} is not a regular file; VaultRoom never puts anything else under files/`);
  }
  if (!records) {
    findings.ok(`this schema has no stored files table; ${listing.files.length} file(s) under files/ were not checked`);
    return;
  }
  const onDisk = new Map(listing.files.map((file) => [file.path, file]));
  let damaged = 0;
  let missing = 0;
  for (const [path, record] of records.byPath) {
    const file = onDisk.get(path);
    if (!file) {
      if (++missing <= MAX_LISTED) findings.problem(`${path} is recorded in the database but missing from disk`);
      continue;
    }
    if (file.size !== record.size) {
      if (++damaged <= MAX_LISTED) findings.problem(`${path} has ${file.size} bytes but ${record.size} were recorded: it is damaged`);
      continue;
    }
    if (sha256Of(file.absolute) !== record.sha256) {
      if (++damaged <= MAX_LISTED) findings.problem(`${path} does not match its recorded SHA-256: it is damaged or was changed`);
    }
  }
  if (missing > MAX_LISTED) findings.problem(`${missing - MAX_LISTED} more recorded file(s) are missing from disk`);
  if (damaged > MAX_LISTED) findings.problem(`${damaged - MAX_LISTED} more file(s) are damaged`);
  if (records.byPath.size === 0) findings.ok("no files have been shared yet");
  else if (missing + damaged === 0) findings.ok(`all ${records.byPath.size} stored file(s) match their recorded SHA-256`);

  const orphans = listing.files.filter((file) => !records.byPath.has(file.path));
  const trashed = orphans.filter((file) => records.trashed.has(file.path)).length;
  if (trashed) findings.warning(`${trashed} deleted file(s) are still on disk; the server removes them shortly`);
  const strays = orphans.filter((file) => !records.trashed.has(file.path));
  for (const file of strays.slice(0, MAX_LISTED)) {
    findings.warning(`${file.path} is on disk but no file record points to it (an orphan; the server removes it at start-up)`);
  }
  if (strays.length > MAX_LISTED) findings.warning(`${strays.length - MAX_LISTED} more orphan file(s) under files/`);
}

export function checkSecrets(dataDir: string, findings: Findings): void {
  const path = join(dataDir, SECRETS_NAME);
  if (!existsSync(path)) {
    findings.warning(`${SECRETS_NAME} is missing: the server makes a new one at start, and everyone must sign in again`);
    return;
  }
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { sessionKey?: unknown };
    if (typeof parsed.sessionKey !== "string" || parsed.sessionKey.length < 43) throw new Error("no session key");
    findings.ok(`${SECRETS_NAME} holds a session signing key`);
  } catch {
    findings.problem(`${SECRETS_NAME} is damaged (no valid session key): the server will refuse to start; restore it from a backup`);
  }
}

function sha256Of(path: string): string {
  const hash = new Bun.CryptoHasher("sha256");
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}
