// The data directory: where the embedded engine's database, the secrets and (by default) uploaded
// files live. 0700, created on first start.
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** Creates the data directory (0700) and its files/ folder if missing. */
export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const files = join(dataDir, "files");
  if (!existsSync(files)) mkdirSync(files, { mode: 0o700 });
}

export function databasePath(dataDir: string): string {
  return join(dataDir, "vaultroom.db");
}
