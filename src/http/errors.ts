// A failure a client may see: a stable code, a human message and an HTTP status. Domain functions
// throw these; routes and socket handlers translate them and nothing else reaches a client.
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: string;
  message: string;
}

export const errors = {
  badRequest: (code: string, message: string) => new AppError(400, code, message),
  unauthorized: (message = "You need to log in first.") => new AppError(401, "unauthorized", message),
  forbidden: (code: string, message: string) => new AppError(403, code, message),
  notFound: (code: string, message: string) => new AppError(404, code, message),
  conflict: (code: string, message: string) => new AppError(409, code, message),
  tooLarge: (message: string) => new AppError(413, "payload_too_large", message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, "rate_limited", `Too many attempts. Try again in ${retryAfterSeconds} s.`, {
      "retry-after": String(retryAfterSeconds),
    }),
};

/** Throws rate_limited when a bucket answered with a wait in seconds; 0 lets the call through. */
export function throwIfRateLimited(waitSeconds: number): void {
  if (waitSeconds > 0) throw errors.rateLimited(waitSeconds);
}

export function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
