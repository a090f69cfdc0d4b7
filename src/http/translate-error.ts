import type { AppDeps } from "../app.ts";
import { AppError } from "../errors.ts";
import { errorResponse } from "./errors.ts";
import { assetResponse } from "../web/assets.ts";
import { safePath } from "./request-target.ts";

type Set = { headers: Record<string, string | number>; status?: number | string };

/** Turns anything thrown into a JSON error a client can act on; no stack trace ever leaves. */
export function translateError(code: string | number, error: unknown, request: Request, set: Set, deps: AppDeps): Response {
  const headers = Object.fromEntries(Object.entries(set.headers).map(([k, v]) => [k, String(v)]));
  const path = safePath(request);
  // Elysia wraps what a body parser throws (e.g. the size cap in json-body.ts) in a ParseError.
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (code === "PARSE" && cause instanceof AppError) error = cause;
  if (error instanceof AppError) {
    return errorResponse(error.status, { error: error.code, message: error.message }, { ...headers, ...error.headers });
  }
  switch (code) {
    case "NOT_FOUND":
      // Client-side routes: any non-API GET that is not a file is the single-page app.
      if (!path.startsWith("/api/") && path !== "/ws" && (request.method === "GET" || request.method === "HEAD")) {
        const response = assetResponse(deps.assets.index(), request);
        for (const [k, v] of Object.entries(headers)) response.headers.set(k, v);
        return response;
      }
      return errorResponse(404, { error: "not_found", message: "There is nothing at this address." }, headers);
    case "VALIDATION":
      return errorResponse(400, { error: "invalid_request", message: validationMessage(error) }, headers);
    case "PARSE":
      return errorResponse(400, { error: "invalid_body", message: "The request body is not valid JSON." }, headers);
    case "INVALID_COOKIE_SIGNATURE":
      return errorResponse(401, { error: "unauthorized", message: "You need to log in first." }, headers);
    default:
      deps.logger.error("unhandled_error", {
        method: request.method,
        path,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      return errorResponse(500, { error: "internal_error", message: "Something went wrong on the server." }, headers);
  }
}

function validationMessage(error: unknown): string {
  // Elysia's ValidationError carries the first failing field; name it without echoing the schema.
  const detail = error as { valueError?: { path?: string; message?: string } };
  const field = detail.valueError?.path?.replace(/^\//, "").replaceAll("/", ".");
  return field ? `The field "${field}" is missing or invalid.` : "The request is missing a field or has one of the wrong type.";
}
