/**
 * A failure of an operator command, with the message to print and the exit status:
 * 2 when the operator asked for something we refuse (wrong arguments, non-empty target),
 * 1 when the work itself failed (damaged archive, wrong passphrase, I/O error).
 */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}
