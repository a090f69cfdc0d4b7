import { describe, expect, setSystemTime, test } from "bun:test";
import { createTestApp, startTestServer, type TestApp } from "../support/app.ts";
import { auditRows, errorOf, PASSWORD, registerUser } from "./accounts-helpers.ts";

const login = (app: TestApp, username: string, password: string) =>
  app.request("/api/auth/login", { json: { username, password } });

describe("rate limits", () => {
  test("login per username: after 10 tries the account is locked for a while, even for the right password", async () => {
    const app = await createTestApp();
    // The clock stands still: on a loaded machine the tries take long enough for the bucket to refill.
    setSystemTime(new Date(Date.now()));
    try {
      await registerUser(app, "alice");
      for (let i = 0; i < 10; i++) expect((await login(app, "alice", `wrong guess ${i}`)).status).toBe(401);
      const refused = await login(app, "Alice", PASSWORD);
      expect(await errorOf(refused.clone())).toEqual({ status: 429, error: "rate_limited" });
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.getSetCookie()).toEqual([]);
      expect((await login(app, "alice", PASSWORD)).status).toBe(429);
      // One lockout, audited once, however many refused tries follow.
      const lockouts = await auditRows(app, "login_locked_out");
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]).toMatchObject({ target: "alice" });
    } finally {
      setSystemTime();
      await app.close();
    }
  }, 30_000); // one argon2id verification per try, on a shared machine

  test("login per address: 20 tries, then 429 whatever the username", async () => {
    const app = await createTestApp();
    setSystemTime(new Date(Date.now()));
    try {
      for (let i = 0; i < 20; i++) expect((await login(app, `nobody${i}`, "some password")).status).toBe(401);
      const refused = await login(app, "somebody-else", "some password");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await auditRows(app, "rate_limited"))[0]?.detail).toMatchObject({ action: "login", scope: "ip" });
    } finally {
      setSystemTime();
      await app.close();
    }
  }, 30_000); // one argon2id verification per try, on a shared machine

  test("registration per address: 10 tries, then 429", async () => {
    const app = await createTestApp();
    try {
      await registerUser(app, "alice");
      // Probing for taken or look-alike names counts against the limit (without spending a hash).
      const probes = ["ALICE", "a1ice", "aIice", "\u0430lice", "alic\u0435", "al\u0456ce", "ali\u0441e", "\u0430l\u0456ce", "a1ic\u0435"];
      for (const username of probes) {
        expect((await app.request("/api/auth/register", { json: { username, password: PASSWORD } })).status).toBe(409);
      }
      const refused = await app.request("/api/auth/register", { json: { username: "fresh-name", password: PASSWORD } });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await app.close();
    }
  });

  test("registration per username: 5 tries at one name, then 429", async () => {
    const app = await createTestApp();
    try {
      await registerUser(app, "alice");
      for (let i = 0; i < 4; i++) expect((await app.request("/api/auth/register", { json: { username: "alice", password: PASSWORD } })).status).toBe(409);
      expect((await app.request("/api/auth/register", { json: { username: "Alice", password: PASSWORD } })).status).toBe(429);
      expect((await app.request("/api/auth/register", { json: { username: "bob", password: PASSWORD } })).status).toBe(201);
    } finally {
      await app.close();
    }
  });

  test("a request body over the limit is refused with 413", async () => {
    const server = await startTestServer();
    try {
      const response = await fetch(server.url + "/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.origin },
        body: JSON.stringify({ username: "alice", password: "x".repeat(70_000) }),
        tls: { rejectUnauthorized: false },
      });
      expect(await errorOf(response)).toEqual({ status: 413, error: "payload_too_large" });
    } finally {
      await server.stop();
    }
  });
});
