// Typed fetch for the JSON API. Every call is same-origin (the browser adds Origin, which the
// server's CSRF check wants) and the session cookie is HttpOnly: this code never sees a token.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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

export interface RequestOptions {
  /** A 401 here is an expected answer (a login form, the first "who am I"), not a lost session. */
  expectUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network", "");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data ?? {}) as { error?: unknown; message?: unknown };
    if (response.status === 401 && !options.expectUnauthorized) for (const listener of unauthorizedListeners) listener();
    const retry = Number(response.headers.get("retry-after"));
    throw new ApiError(
      response.status,
      typeof error.error === "string" ? error.error : `http_${response.status}`,
      typeof error.message === "string" ? error.message : "",
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return data as T;
}

export const http = {
  get: <T>(path: string, options?: RequestOptions) => api<T>("GET", path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => api<T>("POST", path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => api<T>("PATCH", path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => api<T>("PUT", path, body, options),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) => api<T>("DELETE", path, body, options),
};
