// HTTPS calls to the server's real API, from a chosen loopback source address. Login and
// registration are rate limited per client address, so the harness spreads its users over
// 127.0.0.x addresses the way real users arrive from many machines; no limit is changed.
import https from "node:https";

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json<T>(): T;
}

export interface ApiCall {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  cookie?: string;
  /** Loopback source address, e.g. 127.0.0.7. */
  from?: string;
}

export function api(port: number, call: ApiCall, timeoutMs = 30_000): Promise<ApiResponse> {
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const headers: Record<string, string> = { accept: "application/json" };
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  // The CSRF guard wants an Origin that matches the Host on every state-changing request.
  if (call.method !== "GET") headers.origin = `https://127.0.0.1:${port}`;
  if (call.cookie) headers.cookie = call.cookie;
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: "127.0.0.1",
        port,
        path: call.path,
        method: call.method,
        headers,
        localAddress: call.from,
        rejectUnauthorized: false,
        agent: false,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            json: <T>() => JSON.parse(body) as T,
          });
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${call.method} ${call.path} timed out after ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(payload);
  });
}

/** `name=value` of the session cookie a login or registration set. */
export function sessionCookie(response: ApiResponse): string {
  const raw = response.headers["set-cookie"];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const found = list.find((c) => c.startsWith("__Host-vaultroom_session="));
  if (!found) throw new Error(`no session cookie in the response (status ${response.status}: ${response.body.slice(0, 200)})`);
  return found.split(";", 1)[0]!;
}

/** The n-th client address: 127.0.0.2, 127.0.0.3, ... (127.0.0.1 stays the harness's own). */
export function clientAddress(n: number): string {
  return `127.0.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}
