import type { Config } from "../config.ts";
import { createBackup } from "../ops/backup.ts";
import { formatBytes } from "../ops/data-files.ts";
import { readPassphraseFile } from "../ops/encryption.ts";
import { reportFailure, warn } from "./ops-output.ts";

export async function runBackup(file: string, passphraseFile: string | null, config: Config): Promise<number> {
  // Everything this command creates (snapshot, archive, SQLite side files) is private to its owner.
  process.umask(0o077);
  try {
    const passphrase = passphraseFile === null ? null : readPassphraseFile(passphraseFile);
    passphrase?.warnings.forEach(warn);
    const summary = await createBackup({
      dataDir: config.dataDir,
      file,
      passphrase: passphrase?.value ?? null,
      databaseUrl: config.databaseUrl,
      filesDir: config.filesDir,
      secretsFile: config.secretsFile,
    });
    summary.warnings.forEach(warn);
    process.stdout.write(
      `Backup written to ${summary.file} (${formatBytes(summary.archiveBytes)}): the database at schema version ` +
        `${summary.schemaVersion}, ${summary.secrets ? "the secrets and " : ""}${summary.files} stored file(s), ` +
        `${summary.encrypted ? "encrypted with your passphrase (keep it: without it the backup cannot be read)" : "NOT encrypted: keep it somewhere only you can read"}.\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure("backup", error);
  }
}
