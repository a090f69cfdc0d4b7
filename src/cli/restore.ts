import type { Config } from "../config.ts";
import { readPassphraseFile } from "../ops/encryption.ts";
import { restoreBackup } from "../ops/restore.ts";
import { reportFailure, warn } from "./ops-output.ts";

export async function runRestore(file: string, passphraseFile: string | null, config: Config): Promise<number> {
  process.umask(0o077);
  try {
    const passphrase = passphraseFile === null ? null : readPassphraseFile(passphraseFile);
    const summary = await restoreBackup({ file, dataDir: config.dataDir, passphrase: passphrase?.value ?? null });
    summary.warnings.forEach(warn);
    process.stdout.write(
      `Restored ${summary.dataDir} from the backup made ${summary.createdAt} by VaultRoom ${summary.vaultroomVersion}: ` +
        `the database at schema version ${summary.schemaVersion} and ${summary.files} stored file(s), every one matching ` +
        `its recorded SHA-256.\nStart the server with --data ${summary.dataDir}\n` +
        // Restoring as root for a server that runs as its own user is the usual mistake.
        (process.getuid?.() === 0 ? `The restored files belong to root: if the server runs as another user, chown -R that user ${summary.dataDir}\n` : ""),
    );
    return 0;
  } catch (error) {
    return reportFailure("restore", error);
  }
}
