import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SessionInfo } from "../../src/accounts/types.ts";
import { createTestApp, startTestServer, type TestApp } from "../support/app.ts";
import { auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser, watchEndedSessions } from "./accounts-helpers.ts";

describe("my sessions", () => {
  let app: TestApp;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp();
    await registerUser(app, "alice");
    await registerUser(app, "bob");
  });

  const list = async (cookie: string) =>
    ((await (await app.request("/api/sessions", { cookie })).json()) as { sessions: SessionInfo[] }).sessions;

  test("lists my sessions with device and times, marking the current one", async () => {
    const laptop = await app.request("/api/auth/login", {
      json: { username: "alice", password: PASSWORD },
      headers: { "user-agent": "Firefox on a laptop" },
    });
    const cookie = laptop.headers.getSetCookie()[0]!.split(";")[0]!;
    const sessions = await list(cookie);
    expect(sessions.length).toBe(2);
    const current = sessions.find((s) => s.current)!;
    expect(current.userAgent).toBe("Firefox on a laptop");
    expect(current.expiresAt).toBeGreaterThan(current.lastSeenAt);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect((await app.request("/api/sessions")).status).toBe(401);
  });

  test("ending one of my other sessions logs that device out at once", async () => {
    const phone = await loginUser(app, "alice");
    const laptop = await loginUser(app, "alice");
    const phoneId = (await list(phone.cookie)).find((s) => s.current)!.id;
    const ended = watchEndedSessions(app);
    const response = await app.request(`/api/sessions/${phoneId}`, { method: "DELETE", cookie: laptop.cookie });
    expect(response.status).toBe(204);
    expect(await isLoggedIn(app, phone.cookie)).toBe(false);
    expect(await isLoggedIn(app, laptop.cookie)).toBe(true);
    expect(ended).toEqual([{ sessionIds: [phoneId], reason: "revoked" }]);
    expect((await auditRows(app, "session_revoked")).map((r) => r.target)).toContain(phoneId);
  });

  test("someone else's session id answers like a missing one and stays alive", async () => {
    const bob = await loginUser(app, "bob");
    const bobSession = (await list(bob.cookie)).find((s) => s.current)!.id;
    const alice = await loginUser(app, "alice");
    expect(await errorOf(await app.request(`/api/sessions/${bobSession}`, { method: "DELETE", cookie: alice.cookie }))).toEqual({
      status: 404,
      error: "session_not_found",
    });
    expect(await errorOf(await app.request("/api/sessions/no-such-session", { method: "DELETE", cookie: alice.cookie }))).toEqual({
      status: 404,
      error: "session_not_found",
    });
    expect(await isLoggedIn(app, bob.cookie)).toBe(true);
  });

  test("ending my current session also clears my cookie", async () => {
    const me = await loginUser(app, "bob");
    const id = (await list(me.cookie)).find((s) => s.current)!.id;
    const response = await app.request(`/api/sessions/${id}`, { method: "DELETE", cookie: me.cookie });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toStartWith("__Host-vaultroom_session=; Max-Age=0");
    expect(await isLoggedIn(app, me.cookie)).toBe(false);
  });

  test("log out everywhere else keeps only the current session", async () => {
    const others = [await loginUser(app, "alice"), await loginUser(app, "alice")];
    const keeper = await loginUser(app, "alice");
    const ended = watchEndedSessions(app);
    const response = await app.request("/api/sessions/revoke-others", { method: "POST", cookie: keeper.cookie });
    const { revoked } = (await response.json()) as { revoked: number };
    expect(revoked).toBeGreaterThanOrEqual(2);
    for (const other of others) expect(await isLoggedIn(app, other.cookie)).toBe(false);
    expect(await isLoggedIn(app, keeper.cookie)).toBe(true);
    expect(await list(keeper.cookie)).toHaveLength(1);
    expect(ended[0]!.sessionIds).toHaveLength(revoked);
  });
});

describe("sessions over a real connection", () => {
  test("record the client's address from the socket, ignoring X-Forwarded-For", async () => {
    const server = await startTestServer();
    try {
      const post = (path: string, json: unknown, cookie = "") =>
        fetch(server.url + path, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.origin, cookie, "x-forwarded-for": "203.0.113.9", "user-agent": "test-agent/1.0" },
          body: JSON.stringify(json),
          tls: { rejectUnauthorized: false },
        });
      const registered = await post("/api/auth/register", { username: "carol", password: PASSWORD });
      expect(registered.status).toBe(201);
      const cookie = registered.headers.getSetCookie()[0]!.split(";")[0]!;
      const listed = await fetch(server.url + "/api/sessions", { headers: { cookie }, tls: { rejectUnauthorized: false } });
      const { sessions } = (await listed.json()) as { sessions: SessionInfo[] };
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ ip: "127.0.0.1", userAgent: "test-agent/1.0", current: true });
    } finally {
      await server.stop();
    }
  });
});
