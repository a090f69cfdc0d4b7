// What every Bun.serve() listener is given so that no failure can reach Bun's own answers: with
// `development` true Bun renders an error page with stack frames and ~35 KB of source, and without an
// `error` handler it answers a bare 500 without our security headers. Elysia's onError handles what
// routes throw; this catches what throws outside them (a hook, the error handler itself).
import type { Logger } from "../log.ts";
import { errorResponse } from "./errors.ts";
import { safePath } from "./request-target.ts";

/** Longest error text a log line carries: enough to recognise it, never a stack or source excerpt. */
const LOG_ERROR_CHARS = 200;

export function lastResortOptions(listener: string, headers: Record<string, string>, logger: Logger) {
  return {
    development: false,
    error(error: Error): Response {
      logger.error("unhandled_error", { listener, error: `${error?.name}: ${String(error?.message).slice(0, LOG_ERROR_CHARS)}` });
      return errorResponse(500, { error: "internal_error", message: "Something went wrong on the server." }, { ...headers, "cache-control": "no-store" });
    },
  } as const;
}

/** One short log line for a request refused before routing (never the raw Host or target: they may be anything). */
export function logRefused(logger: Logger, listener: string, request: Request, status: number): void {
  logger.info("request", { listener, method: request.method.slice(0, 16), path: safePath(request).slice(0, 200), status, ms: 0 });
}
