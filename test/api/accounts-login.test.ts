import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { cookieFrom, createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, auditRows, isLoggedIn, loginUser, PASSWORD, registerUser, watchEndedSessions } from "./accounts-helpers.ts";

describe("login and logout", () => {
  let app: TestApp;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp();
    await registerUser(app, "alice");
    await registerUser(app, "bob");
  });

  const attempt = (username: string, password: string) => app.request("/api/auth/login", { json: { username, password } });

  test("logs in with the right password, matching the name case-insensitively", async () => {
    const response = await attempt("ALICE", PASSWORD);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { username: string } }).user.username).toBe("alice");
    expect(await isLoggedIn(app, cookieFrom(response))).toBe(true);
  });

  test("an unknown user and a wrong password get identical answers, after the same hashing work", async () => {
    const accounts = accountsOf(app);
    const dummy = spyOn(accounts.passwords, "verifyDummy");
    try {
      const unknown = await attempt("nobody-here", PASSWORD);
      const wrong = await attempt("alice", "not the password at all");
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(unknown.status);
      expect(await unknown.text()).toBe(await wrong.text());
      const headers = (r: Response) => [...r.headers].filter(([name]) => name !== "date");
      expect(headers(unknown)).toEqual(headers(wrong));
      expect(unknown.headers.getSetCookie()).toEqual([]);
      // The unknown user was checked against the dummy hash, so both paths cost one argon2id verify.
      expect(dummy).toHaveBeenCalledTimes(1);
    } finally {
      dummy.mockRestore();
    }
  });

  test("failed logins are audited without the password", async () => {
    const rows = await auditRows(app, "login_failed");
    expect(rows.map((row) => [row.target, row.detail?.reason])).toContainEqual(["alice", "wrong_password"]);
    expect(rows.map((row) => [row.target, row.detail?.reason])).toContainEqual([null, "unknown_user"]);
    expect(JSON.stringify(await accountsOf(app).audit.list())).not.toContain("not the password at all");
  });

  test("the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/ and has no Domain", async () => {
    const response = await attempt("bob", PASSWORD);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toBeDefined();
    const [pair, ...attributes] = cookie!.split(";").map((part) => part.trim());
    expect(pair!.startsWith("__Host-vaultroom_session=")).toBe(true);
    const names = attributes.map((a) => a.split("=")[0]!.toLowerCase());
    expect(names).toContain("secure");
    expect(names).toContain("httponly");
    expect(attributes).toContain("SameSite=Strict");
    expect(attributes).toContain("Path=/");
    expect(names).not.toContain("domain");
    expect(attributes.find((a) => a.startsWith("Max-Age="))).toBe("Max-Age=2592000");
  });

  test("every login starts a new session, and replaces the browser's previous one", async () => {
    const first = await loginUser(app, "bob");
    const ended = watchEndedSessions(app);
    const second = await app.request("/api/auth/login", { json: { username: "bob", password: PASSWORD }, cookie: first.cookie });
    const secondCookie = cookieFrom(second);
    expect(secondCookie).not.toBe(first.cookie);
    expect(await isLoggedIn(app, first.cookie)).toBe(false);
    expect(await isLoggedIn(app, secondCookie)).toBe(true);
    expect(ended.map((e) => e.reason)).toEqual(["replaced"]);
  });

  test("GET /api/me is 401 without a session or with a garbage cookie", async () => {
    expect((await app.request("/api/me")).status).toBe(401);
    expect((await app.request("/api/me", { cookie: "__Host-vaultroom_session=garbage" })).status).toBe(401);
    expect((await app.request("/api/me", { cookie: "__Host-vaultroom_session={\"sid\":1}" })).status).toBe(401);
  });

  test("a token is accepted only from the cookie, never from a header or the URL", async () => {
    const { cookie } = await loginUser(app, "alice");
    const token = cookie.split("=").slice(1).join("=");
    expect((await app.request("/api/me", { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect((await app.request(`/api/me?token=${token}`)).status).toBe(401);
    expect((await app.request(`/api/me?__Host-vaultroom_session=${token}`)).status).toBe(401);
  });

  test("logout ends the session at once, clears the cookie and tells the socket layer", async () => {
    const { cookie } = await loginUser(app, "alice");
    const ended = watchEndedSessions(app);
    const response = await app.request("/api/auth/logout", { method: "POST", cookie });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toStartWith("__Host-vaultroom_session=; Max-Age=0; Path=/");
    expect(await isLoggedIn(app, cookie)).toBe(false);
    expect(ended).toHaveLength(1);
    expect(ended[0]!.reason).toBe("logout");
    expect(await auditRows(app, "logout")).toHaveLength(1);
  });

  test("logging out without a session is harmless", async () => {
    expect((await app.request("/api/auth/logout", { method: "POST" })).status).toBe(204);
  });

  test("an over-long password is refused before hashing on login too", async () => {
    const verify = spyOn(accountsOf(app).passwords, "verify");
    try {
      const response = await attempt("alice", "x".repeat(300));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe("password_too_long");
      expect(verify).not.toHaveBeenCalled();
    } finally {
      verify.mockRestore();
    }
  });
});
