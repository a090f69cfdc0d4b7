import { OpsError } from "../ops/ops-error.ts";

export function warn(message: string): void {
  process.stderr.write(`vaultroom: warning: ${message}\n`);
}

/** Prints why an operator command failed and returns its exit status. */
export function reportFailure(command: string, error: unknown): number {
  if (error instanceof OpsError) {
    process.stderr.write(`vaultroom: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`vaultroom: ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
