// The typed HTTP client (web/src/api/http.ts) against the real app: answers come back as the routes
// send them (text that looks like a date stays text), refusals become ApiError with the server's code,
// message and Retry-After, a 401 ends the session unless the call expected one, and an unreachable
// server is "network". fetch is pointed at app.handle() with what a browser would add (Origin, cookie).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { api, ApiError, call, onUnauthorized, refusal } from "../../../web/src/api/http.ts";
import { BASE, createTestApp, ORIGIN, type TestApp } from "../../support/app.ts";
import { createTestUser, type TestUser } from "../../support/users.ts";

let app: TestApp;
let alice: TestUser;
/** The session cookie the "browser" sends; null for a visitor. */
let cookie: string | null = null;
const realFetch = globalThis.fetch;
/** What answers the client's fetch: the app, unless a test stands in for the network. */
let fetchImpl: (request: Request) => Promise<Response>;

beforeAll(async () => {
  app = await createTestApp();
  alice = await createTestUser(app.deps);
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    headers.set("origin", ORIGIN);
    if (cookie) headers.set("cookie", cookie);
    if (typeof init?.body === "string") headers.set("content-length", String(Buffer.byteLength(init.body)));
    return fetchImpl(new Request(BASE + url.pathname + url.search, { ...init, headers }));
  }) as typeof fetch;
}, 30_000);
beforeEach(() => {
  cookie = alice.cookie;
  fetchImpl = (request) => app.app.handle(request);
});
afterAll(() => {
  globalThis.fetch = realFetch;
  app.close();
});

describe("answers", () => {
  test("come back as the route sent them; a message that looks like a date stays text", async () => {
    const { room } = await call(api.rooms.post({ kind: "private", name: "dates" }));
    const body = "2025-01-01T10:00:00.000Z";
    const posted = await call(api.rooms({ id: room.id }).messages.post({ clientId: crypto.randomUUID(), body }));
    expect(posted.message.body).toBe(body);
    const history = await call(api.rooms({ id: room.id }).messages.get({ query: { limit: 10 } }));
    expect(history.messages.map((m) => m.body)).toEqual([body]);
    expect(typeof history.messages[0]!.body).toBe("string");
  });
});

describe("refusals", () => {
  test("carry the server's status, code and message", async () => {
    const error = await call(api.rooms({ id: 987_654 }).get()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect({ status: (error as ApiError).status, code: (error as ApiError).code }).toEqual({ status: 404, code: "room_not_found" });
    expect((error as ApiError).message).not.toBe("");
  });

  test("Retry-After is read as seconds; a body that is not the API's shape falls back to the status", async () => {
    fetchImpl = async () => new Response("<html>Bad gateway</html>", { status: 502, headers: { "content-type": "text/html", "retry-after": "7" } });
    const error = (await call(api.me.get()).catch((e: unknown) => e)) as ApiError;
    expect({ status: error.status, code: error.code, message: error.message, retryAfter: error.retryAfter }).toEqual({
      status: 502,
      code: "http_502",
      message: "",
      retryAfter: 7,
    });
    // Uploads (XMLHttpRequest) read their refusals with the same function.
    const upload = refusal(413, { error: "payload_too_large", message: "Too big." }, null);
    expect({ code: upload.code, message: upload.message, retryAfter: upload.retryAfter }).toEqual({ code: "payload_too_large", message: "Too big.", retryAfter: null });
  });

  test("a 401 tells the session store the session ended, unless the call expected it", async () => {
    let ended = 0;
    const stop = onUnauthorized(() => ended++);
    try {
      cookie = null;
      const login = await call(api.auth.login.post({ username: "nobody", password: "not the password at all" }), { expectUnauthorized: true }).catch((e: ApiError) => e);
      expect({ status: (login as ApiError).status, ended }).toEqual({ status: 401, ended: 0 });
      const me = await call(api.me.get()).catch((e: ApiError) => e);
      expect({ status: (me as ApiError).status, ended }).toEqual({ status: 401, ended: 1 });
    } finally {
      stop();
    }
  });

  test("an unreachable server is a network error; an abort stays an abort", async () => {
    fetchImpl = async () => {
      throw new TypeError("fetch failed");
    };
    const offline = (await call(api.me.get()).catch((e: unknown) => e)) as ApiError;
    expect({ status: offline.status, code: offline.code }).toEqual({ status: 0, code: "network" });
    fetchImpl = async () => {
      throw new DOMException("The operation was aborted.", "AbortError");
    };
    const aborted = await call(api.me.get()).catch((e: unknown) => e);
    expect(aborted).not.toBeInstanceOf(ApiError);
    expect((aborted as Error).name).toBe("AbortError");
  });
});
