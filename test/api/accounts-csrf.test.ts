// CSRF: a state-changing request must come from VaultRoom's own origin, or nothing happens.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser, type Session } from "./accounts-helpers.ts";

describe("cross-site requests", () => {
  let app: TestApp;
  afterAll(() => app.close());
  let alice: Session;
  beforeAll(async () => {
    app = await createTestApp();
    alice = await registerUser(app, "alice");
  });

  const userCount = async () => (await app.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM users"))!.n;

  test("registering from a foreign origin is refused and creates nothing", async () => {
    const response = await app.request("/api/auth/register", {
      json: { username: "mallory", password: PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    expect(await errorOf(response)).toEqual({ status: 403, error: "bad_origin" });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await userCount()).toBe(1);
  });

  test("logging in from a foreign origin is refused and sets no cookie", async () => {
    const response = await app.request("/api/auth/login", {
      json: { username: "alice", password: PASSWORD },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  test("a foreign page cannot log me out, end my sessions or change my account", async () => {
    const attempts: Array<[string, string, unknown]> = [
      ["POST", "/api/auth/logout", undefined],
      ["POST", "/api/sessions/revoke-others", undefined],
      ["PATCH", "/api/account", { displayName: "pwned" }],
      ["POST", "/api/account/password", { currentPassword: PASSWORD, newPassword: "attacker chosen 123" }],
      ["PATCH", "/api/admin/settings", { registrationMode: "open" }],
    ];
    for (const [method, path, json] of attempts) {
      for (const origin of ["https://evil.example", "null", "https://localhost:9999", "http://localhost"]) {
        const response = await app.request(path, { method, json, cookie: alice.cookie, headers: { origin } });
        expect(response.status).toBe(403);
      }
    }
    expect(await isLoggedIn(app, alice.cookie)).toBe(true);
    const me = (await (await app.request("/api/me", { cookie: alice.cookie })).json()) as { user: { displayName: string | null } };
    expect(me.user.displayName).toBeNull();
  });

  test("without an Origin, only Sec-Fetch-Site: same-origin passes", async () => {
    const bare = (headers: Record<string, string>, cookie = alice.cookie) => {
      const request = new Request("https://localhost/api/auth/logout", { method: "POST", headers: { cookie, ...headers } });
      return app.app.handle(request);
    };
    expect((await bare({})).status).toBe(403);
    expect((await bare({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await bare({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect(await isLoggedIn(app, alice.cookie)).toBe(true);
    const spare = await loginUser(app, "alice");
    expect((await bare({ "sec-fetch-site": "same-origin" }, spare.cookie)).status).toBe(204);
    expect(await isLoggedIn(app, spare.cookie)).toBe(false);
  });

  test("answers carry no CORS permission for a foreign origin", async () => {
    const preflight = await app.app.handle(
      new Request("https://localhost/api/auth/login", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      }),
    );
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const me = await app.request("/api/me", { cookie: alice.cookie, headers: { origin: "https://evil.example" } });
    expect(me.headers.get("access-control-allow-origin")).toBeNull();
    expect(me.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("refused origins are audited with the origin but no cookie", async () => {
    // Refusals are audited without holding up the answers: what was queued has committed after this.
    await app.sql.settled();
    const rows = await auditRows(app, "origin_rejected");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.map((r) => r.detail?.origin)).toContain("https://evil.example");
    expect(rows.map((r) => r.detail?.path)).toContain("/api/auth/register");
    expect(JSON.stringify(rows)).not.toContain(alice.cookie.split("=")[1]!);
  });
});
