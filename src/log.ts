// One JSON object per line on stdout. Callers pass only fields that are safe to keep:
// never cookies, tokens, passwords or message bodies.
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(line + "\n")): Logger {
  const emit = (level: string, event: string, fields?: LogFields) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return {
    info: (event, fields) => emit("info", event, fields),
    warn: (event, fields) => emit("warn", event, fields),
    error: (event, fields) => emit("error", event, fields),
  };
}

/** A logger that drops everything; for tests that do not assert on logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
