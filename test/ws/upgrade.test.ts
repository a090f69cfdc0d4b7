// The socket's front door: Origin allowlist (cross-site WebSocket hijacking), session required,
// and a socket that dies with its session.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CLOSE_SESSION_ENDED } from "../../src/protocol.ts";
import { startTestServer } from "../support/app.ts";
import { createTestUser, loginTestUser } from "../support/users.ts";
import { api, TestSocket, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000); // starting a TLS server on a busy machine can take a while
afterAll(() => server.stop());

/** The HTTP answer to an upgrade request, as a browser would send it. */
function upgrade(headers: Record<string, string>) {
  return fetch(`${server.url}/ws`, {
    headers: {
      connection: "Upgrade",
      upgrade: "websocket",
      "sec-websocket-version": "13",
      "sec-websocket-key": btoa("0123456789abcdef"),
      ...headers,
    },
    tls: { rejectUnauthorized: false },
  });
}

/** Resolves with how a real WebSocket client fared: opened, or failed before opening. */
function tryOpen(headers: Record<string, string>): Promise<"opened" | "refused"> {
  const ws = new WebSocket(server.wsUrl, { headers, tls: { rejectUnauthorized: false } } as unknown as string[]);
  return new Promise((resolve) => {
    ws.addEventListener("open", () => {
      ws.close();
      resolve("opened");
    });
    ws.addEventListener("error", () => resolve("refused"));
  });
}

describe("the socket upgrade", () => {
  test("is refused with 403 for a foreign Origin, a null Origin or none, even with a valid session", async () => {
    const user = await createTestUser(server.deps);
    for (const origin of ["https://evil.example", "null", `http://127.0.0.1:${server.port}`, `https://127.0.0.1:${server.port + 1}`]) {
      const res = await upgrade({ cookie: user.cookie, origin });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: "bad_origin" });
      expect(await tryOpen({ cookie: user.cookie, origin })).toBe("refused");
    }
    expect((await upgrade({ cookie: user.cookie })).status).toBe(403);
  });

  test("is refused with 401 without a session cookie, or with a forged or ended one", async () => {
    const user = await createTestUser(server.deps);
    expect((await upgrade({ origin: server.origin })).status).toBe(401);
    expect((await upgrade({ origin: server.origin, cookie: user.cookie.replace(/.....$/, "AAAAA") })).status).toBe(401);
    expect(await tryOpen({ origin: server.origin })).toBe("refused");
    const logout = await api(server, user, "/api/auth/logout", { method: "POST" });
    expect(logout.status).toBe(204);
    expect((await upgrade({ origin: server.origin, cookie: user.cookie })).status).toBe(401);
  });

  test("opens with the session cookie and our own Origin, and says who I am", async () => {
    const user = await createTestUser(server.deps, { displayName: "Dora" });
    const socket = await TestSocket.connect(server, user.cookie);
    expect(socket.ready.user).toEqual({ id: user.id, username: user.username, displayName: "Dora", isAdmin: false });
    socket.close();
  });
});

describe("ending a session", () => {
  test("logging out closes that session's sockets at once; another device's socket stays open", async () => {
    const user = await createTestUser(server.deps);
    const phone = await loginTestUser(server.deps, user.id);
    const tab1 = await TestSocket.connect(server, user.cookie);
    const tab2 = await TestSocket.connect(server, user.cookie);
    const other = await TestSocket.connect(server, phone.cookie);
    const logout = await api(server, user, "/api/auth/logout", { method: "POST" });
    expect(logout.status).toBe(204);
    expect(await tab1.closed).toEqual({ code: CLOSE_SESSION_ENDED, reason: "session ended" });
    expect((await tab2.closed).code).toBe(CLOSE_SESSION_ENDED);
    await other.barrier();
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    other.close();
  });

  test("revoking a session from another device closes its socket too", async () => {
    const user = await createTestUser(server.deps);
    const laptop = await loginTestUser(server.deps, user.id);
    const lost = await TestSocket.connect(server, laptop.cookie);
    const res = await api(server, user, `/api/sessions/${laptop.sessionId}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await lost.closed).code).toBe(CLOSE_SESSION_ENDED);
  });
});

describe("the per-user socket cap", () => {
  test("refuses a 21st socket with 429 and accepts again once one closes", async () => {
    const user = await createTestUser(server.deps);
    const sockets = await Promise.all(Array.from({ length: 20 }, () => TestSocket.connect(server, user.cookie)));
    const res = await upgrade({ origin: server.origin, cookie: user.cookie });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: "too_many_connections" });
    sockets[0]!.close();
    await sockets[0]!.closed;
    const again = await TestSocket.connect(server, user.cookie);
    again.close();
    for (const s of sockets) s.close();
  });
});
