// A failure a client may see: a stable code from the protocol's closed set, a human message and an
// HTTP status. Domain code throws these; HTTP routes and socket handlers translate them, and nothing
// else reaches a client. Both layers import this module; it imports no transport.
import type { ErrorCode } from "./protocol.ts";

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The database cannot be reached (Postgres down, a connection lost mid-query). Never a command's
 * answer: a write batch that meets it fails as a whole, at once, without retrying item by item.
 */
export class DatabaseUnavailable extends AppError {
  constructor(readonly detail: string) {
    super(503, "database_unavailable", "The database is not reachable right now. Try again in a moment.", { "retry-after": "2" });
  }
}

export const errors = {
  badRequest: (code: ErrorCode, message: string) => new AppError(400, code, message),
  unauthorized: (message = "You need to log in first.") => new AppError(401, "unauthorized", message),
  forbidden: (code: ErrorCode, message: string) => new AppError(403, code, message),
  notFound: (code: ErrorCode, message: string) => new AppError(404, code, message),
  conflict: (code: ErrorCode, message: string) => new AppError(409, code, message),
  tooLarge: (message: string) => new AppError(413, "payload_too_large", message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, "rate_limited", `Too many attempts. Try again in ${retryAfterSeconds} s.`, {
      "retry-after": String(retryAfterSeconds),
    }),
  shuttingDown: () => new AppError(503, "shutting_down", "The server is shutting down."),
};

/** Throws rate_limited when a bucket answered with a wait in seconds; 0 lets the call through. */
export function throwIfRateLimited(waitSeconds: number): void {
  if (waitSeconds > 0) throw errors.rateLimited(waitSeconds);
}

/** What crosses a thread or process boundary for an AppError, and back. */
export interface AppErrorData {
  status: number;
  code: ErrorCode;
  message: string;
  headers: Record<string, string>;
}

export const toErrorData = (error: AppError): AppErrorData => ({
  status: error.status,
  code: error.code,
  message: error.message,
  headers: error.headers,
});

export const fromErrorData = (data: AppErrorData): AppError => new AppError(data.status, data.code, data.message, data.headers);

export const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
