// CLI: parse -> config -> run the command. `vaultroom` alone is `vaultroom serve`.
import "./production-env.ts";
import { ConfigError, HELP, parseInvocation } from "./config.ts";
import { VERSION } from "./version.ts";
import { createLogger } from "./log.ts";
import { runCommand } from "./cli/commands.ts";

async function main(): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`vaultroom: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (invocation.kind === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  if (invocation.kind === "version") {
    process.stdout.write(`vaultroom ${VERSION}\n`);
    return 0;
  }
  return runCommand(invocation.command, invocation.config, createLogger());
}

main().then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`vaultroom: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
