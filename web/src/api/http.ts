// The typed HTTP client. `api` is Eden Treaty built from the server's own `App` type: paths, bodies,
// queries and answers come from the routes in src/http/, so a renamed path or a changed field fails
// `bun run typecheck` here. `App` is imported as a type only: no server code is bundled (the Vite
// build refuses any module from src/, see web/vite.config.ts).
// Every call is same-origin (the browser adds Origin, which the server's CSRF check wants) and the
// session cookie is HttpOnly: this code never sees a token.
import { treaty } from "@elysiajs/eden/treaty2";
import type { App } from "../../../src/app.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from Retry-After. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called on any 401 from the API: the session ended (logout elsewhere, revoked, expired). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface CallOptions {
  /** A 401 here is an expected answer (a login form), not a lost session. */
  expectUnauthorized?: boolean;
}

export const api = treaty<App>(typeof location === "undefined" ? "http://localhost" : location.origin, {
  // Eden turns any string that looks like a date into a Date by default: a message body or a name
  // such as "2025-01-01T10:00:00Z" must stay the text it is.
  parseDate: false,
  fetch: { credentials: "same-origin" },
  headers: { accept: "application/json" },
}).api;

/**
 * The one reading of a refused request, for Eden's answers and for uploads (XMLHttpRequest):
 * `{ error, message }` from the body when it has them (a proxy's error page does not), the wait from
 * Retry-After; a 401 tells the session store that the session ended.
 */
export function refusal(status: number, body: unknown, retryAfter: string | null, options: CallOptions = {}): ApiError {
  const fields = typeof body === "object" && body !== null ? (body as { error?: unknown; message?: unknown }) : {};
  if (status === 401 && !options.expectUnauthorized) for (const listener of unauthorizedListeners) listener();
  const seconds = Number(retryAfter);
  return new ApiError(
    status,
    typeof fields.error === "string" ? fields.error : `http_${status}`,
    typeof fields.message === "string" ? fields.message : "",
    Number.isFinite(seconds) && seconds > 0 ? seconds : null,
  );
}

/** What an Eden call resolves to; `response` is missing when fetch itself failed (offline, aborted). */
type Answer<T> = { data: T; error: null } | { data: null; error: { value: unknown }; response?: Response };

/** The answer's data, or an ApiError (status 0, code "network" when the server could not be reached). */
export async function call<T>(pending: Promise<Answer<T>>, options: CallOptions = {}): Promise<T> {
  const answer = await pending;
  if (answer.error === null) return answer.data;
  const { response } = answer;
  if (!response) {
    if (answer.error.value instanceof Error && answer.error.value.name === "AbortError") throw answer.error.value;
    throw new ApiError(0, "network", "");
  }
  throw refusal(response.status, answer.error.value, response.headers.get("retry-after"), options);
}
