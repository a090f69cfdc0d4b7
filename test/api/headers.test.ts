import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, startTestServer, type TestApp } from "../support/app.ts";
import { CONTENT_SECURITY_POLICY } from "../../src/http/security-headers.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A route that fails, to see the headers on a 500; built on the same app as everything else.
  t.app.get("/api/test-only/boom", () => {
    throw new Error("boom with a secret detail");
  });
});
afterAll(() => t.close());

function expectSecurityHeaders(response: Response) {
  const csp = response.headers.get("content-security-policy")!;
  expect(csp).toBe(CONTENT_SECURITY_POLICY);
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
  expect(response.headers.get("permissions-policy")).toContain("camera=()");
  expect(response.headers.get("server")).toBeNull();
  expect(response.headers.get("x-powered-by")).toBeNull();
}

describe("headers on every response", () => {
  test("a 200 from the API carries them and is not cached", async () => {
    const response = await t.request("/api/health");
    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", version: expect.any(String), uptime: expect.any(Number) });
  });

  test("an unknown API path is a JSON 404 with them", async () => {
    const response = await t.request("/api/does-not-exist");
    expect(response.status).toBe(404);
    expectSecurityHeaders(response);
    expect(await response.json()).toEqual({ error: "not_found", message: expect.any(String) });
  });

  test("a 500 carries them and leaks no detail", async () => {
    const response = await t.request("/api/test-only/boom");
    expect(response.status).toBe(500);
    expectSecurityHeaders(response);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "internal_error", message: expect.any(String) });
    expect(text).not.toContain("secret detail");
    expect(text).not.toContain("at ");
  });

  test("the app's pages and client-side routes are index.html, revalidated", async () => {
    for (const path of ["/", "/login", "/register", "/chat", "/dashboard", "/some/client/route"]) {
      const response = await t.request(path);
      expect(response.status).toBe(200);
      expectSecurityHeaders(response);
      expect(response.headers.get("content-type")).toContain("text/html");
      expect(response.headers.get("cache-control")).toBe("no-cache");
      const html = await response.text();
      expect(html).toContain('<div id="root">');
      // The strict CSP forbids inline scripts and styles: the build must not produce any.
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style="/);
    }
  });

  test("hashed assets are immutable and a missing one is a plain 404, not the app", async () => {
    const html = await (await t.request("/")).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await t.request(script);
    expect(asset.status).toBe(200);
    expectSecurityHeaders(asset);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toContain("text/javascript");
    const missing = await t.request("/assets/missing-123.js");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
  });

  test("a compressed copy is served to clients that accept gzip", async () => {
    const html = await (await t.request("/")).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const plain = await t.request(script);
    const gzip = await t.request(script, { headers: { "accept-encoding": "gzip, br" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await gzip.arrayBuffer())))).toBe(await plain.text());
  });

  test("a state-changing request from a foreign origin is refused with 403 and the headers", async () => {
    const response = await t.request("/api/health", { method: "POST", headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expectSecurityHeaders(response);
    expect(await response.json()).toMatchObject({ error: "bad_origin" });
  });

  test("an oversized JSON body is refused with 413 before it is read", async () => {
    const response = await t.request("/api/health", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(1024 * 1024) },
      body: "x".repeat(1024 * 1024),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
  });
});

/** A login whose JSON body streams in chunks, so no Content-Length is declared. */
function streamLogin(server: Awaited<ReturnType<typeof startTestServer>>, body: ReadableStream<Uint8Array>): Promise<Response> {
  return fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.origin },
    body,
    tls: { rejectUnauthorized: false },
  } as RequestInit);
}

describe("bodies without a declared length", () => {
  test("a chunked JSON body is cut off at the limit while it streams, with 413", async () => {
    const server = await startTestServer();
    let sent = 0;
    const chunk = new TextEncoder().encode("a".repeat(16 * 1024));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"username":"'));
      },
      pull(controller) {
        // 8 MiB in all if the server kept reading; it must stop long before.
        if (sent >= 8 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await streamLogin(server, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large" });
    await server.stop();
  });

  test("a chunked body within the limit is parsed as usual", async () => {
    const server = await startTestServer();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"username":"nobody-here",'));
        controller.enqueue(new TextEncoder().encode('"password":"not the right one at all"}'));
        controller.close();
      },
    });
    const response = await streamLogin(server, body);
    expect(response.status).toBe(401);
    await server.stop();
  });
});
