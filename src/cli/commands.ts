import type { Command, Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { serve } from "./serve.ts";

/** Runs one command; returns the exit status, or -1 while a server keeps the process alive. */
export async function runCommand(command: Command, config: Config, logger: Logger): Promise<number> {
  switch (command.name) {
    case "serve":
      await serve(config, logger);
      return -1;
    default:
      process.stderr.write(`vaultroom: "${command.name}" is not available in this build\n`);
      return 2;
  }
}
