// CLI: parse -> config -> run the command. `vaultroom` alone is `vaultroom serve`.
//
// Only what parsing needs is imported up front. The commands (the whole server) are imported once
// the command is known, and `serve` on SQLite starts its writer thread first, so the thread loads
// its modules while this one loads the server's (db/sqlite/writer-thread.ts prestartWriter).
import "./production-env.ts";
// Before any module that needs it: @peculiar/x509 (through tsyringe) checks for Reflect.metadata when
// it is evaluated, and once the server's modules are imported lazily (below), the bundle may evaluate
// it before tls/certificate.ts's own import of the polyfill has run.
import "reflect-metadata";
import { ConfigError, HELP, parseInvocation } from "./config.ts";
import { VERSION } from "./version.ts";
import { createLogger } from "./log.ts";
import { prestartWriter } from "./db/sqlite/writer-thread.ts";

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
  if (invocation.command.name === "serve" && invocation.config.databaseUrl === null) prestartWriter();
  const { runCommand } = await import("./cli/commands.ts");
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
