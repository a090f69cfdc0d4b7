import type { Command, Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { auditExport, auditVerify } from "./audit.ts";
import { runBackup } from "./backup.ts";
import { runDoctor } from "./doctor.ts";
import { runMigrateDb } from "./migrate-db.ts";
import { runRestore } from "./restore.ts";
import { serve } from "./serve.ts";
import { userCreate, userList, userResetPassword } from "./user.ts";

/** Runs one command; returns the exit status, or -1 while a server keeps the process alive. */
export async function runCommand(command: Command, config: Config, logger: Logger): Promise<number> {
  switch (command.name) {
    case "serve":
      await serve(config, logger);
      return -1;
    case "user-create":
      return userCreate(config, command.username, command.admin);
    case "user-reset-password":
      return userResetPassword(config, command.username);
    case "user-list":
      return userList(config);
    case "backup":
      return runBackup(command.file, command.passphraseFile, config);
    case "restore":
      return runRestore(command.file, command.passphraseFile, config);
    case "doctor":
      return runDoctor(config);
    case "migrate-db":
      return runMigrateDb(command.to, config);
    case "audit-verify":
      return auditVerify(config);
    case "audit-export":
      return auditExport(config, command.since);
    default:
      // Every command is handled above; this guards a Command added to config.ts but not here.
      process.stderr.write(`vaultroom: "${(command as { name: string }).name}" is not available in this build\n`);
      return 2;
  }
}
