// Every listener has a last-resort error handler and development mode off, so no failure can ever be
// answered by Bun's development error page (stack frames and source) or its bare 500.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { lastResortOptions } from "../../src/http/last-resort.ts";
import { requestUrl } from "../../src/http/request-target.ts";
import { securityHeaders } from "../../src/http/security-headers.ts";
import { createTestApp } from "../support/app.ts";

const SRC = join(import.meta.dir, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

describe("the last-resort error handler", () => {
  test("answers JSON 500 with the security headers and logs one short line without the stack", async () => {
    const lines: string[] = [];
    const logger = { info() {}, warn() {}, error: (event: string, fields?: object) => lines.push(JSON.stringify({ event, ...fields })) };
    const options = lastResortOptions("https", securityHeaders(true), logger);
    const error = new TypeError(`Invalid URL ${"x".repeat(5000)}`);
    const response = options.error(error);
    expect(options.development).toBe(false);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.json()).toEqual({ error: "internal_error", message: "Something went wrong on the server." });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(400);
    expect(lines[0]).not.toContain(" at ");
  });

  test("the app hands it to Bun.serve with development off", async () => {
    const app = await createTestApp();
    const serve = app.app.config.serve as { development?: boolean; error?: unknown };
    expect(serve.development).toBe(false);
    expect(typeof serve.error).toBe("function");
    await app.close();
  });

  test("every place in src/ that starts a listener passes it", () => {
    // HTTP listeners only: the TLS front (tls/front-door.ts) and the ALPN responder are raw TCP/TLS
    // relays that never answer HTTP themselves, so they have no error page to leak.
    const listeners = sourceFiles(SRC).filter((file) => /Bun\.serve\(\{|app\.listen\(\{/.test(readFileSync(file, "utf8")));
    expect(listeners.length).toBeGreaterThanOrEqual(2);
    for (const file of listeners) {
      const text = readFileSync(file, "utf8");
      // app.listen() takes its serve options from createApp (app.ts), which spreads lastResortOptions.
      expect({ file, guarded: text.includes("lastResortOptions") || text.includes("createApp(") }).toEqual({ file, guarded: true });
    }
  });
});

describe("requestUrl", () => {
  const at = (host: string | null, url = "http://x/api/health") => {
    const headers = new Headers();
    if (host !== null) headers.set("host", host);
    return requestUrl(new Request(url, { headers }))?.pathname ?? null;
  };

  test("accepts host names, IPv4 and bracketed IPv6 with an optional port", () => {
    for (const host of ["localhost", "chat.example.org", "127.0.0.1:8443", "[::1]", "[::1]:8443", "my_host.lan", "example.org."]) {
      expect({ host, path: at(host) }).toEqual({ host, path: "/api/health" });
    }
  });

  test("refuses userinfo, paths, spaces, lists, bad ports and unclosed brackets", () => {
    for (const host of ["a@evil.example", "x/y", "a b", "", "[::1", "a:99999", "a:b", "a, b", "évil", "%41", "[zz]"]) {
      expect({ host, path: at(host) }).toEqual({ host, path: null });
    }
  });

  test("without a Host header only an absolute url passes (app.handle in tests), never a bare path", () => {
    expect(at(null)).toBe("/api/health");
    const bare = { url: "/api/health", headers: new Headers() } as unknown as Request;
    expect(requestUrl(bare)).toBeNull();
  });
});
