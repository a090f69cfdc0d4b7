// How an error leaves over HTTP: `{ error, message }` as JSON with the status. The errors themselves
// (AppError and the closed set of codes) live in src/errors.ts, which domain code imports.
import type { ErrorCode } from "../protocol.ts";

export interface ErrorBody {
  error: ErrorCode;
  message: string;
}

export function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
