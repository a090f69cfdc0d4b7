// An open socket acts with the account as it is now, not as it was when the socket opened: an admin
// who is demoted loses admin powers on the sockets they already have open, at once.
import { afterAll, afterEach, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { SESSION_RECHECK_MS } from "../../src/ws/socket.ts";
import { startTestServer } from "../support/app.ts";
import { api, userWithSocket, uuid, type TestServer } from "./client.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 30_000);
afterAll(() => server.stop());
afterEach(() => setSystemTime());

describe("a socket opened by an admin", () => {
  test("loses the admin's right to delete other people's messages the moment the admin is demoted", async () => {
    const boss = await userWithSocket(server, { isAdmin: true });
    const demoted = await userWithSocket(server, { isAdmin: true });
    const author = await userWithSocket(server);
    const res = await api(server, author.user, "/api/rooms", { json: { kind: "public", name: "town square" } });
    const { room } = (await res.json()) as { room: { id: number } };
    await demoted.socket.ok({ type: "room.join", roomId: room.id });
    const first = await author.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "first" });
    const second = await author.socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "second" });

    // While an admin, the socket may delete someone else's message.
    await demoted.socket.ok({ type: "message.delete", messageId: first.message.id });

    const demote = await api(server, boss.user, `/api/admin/users/${demoted.user.id}`, { method: "PATCH", json: { isAdmin: false } });
    expect(demote.status).toBe(200);

    const refused = await demoted.socket.request({ type: "message.delete", messageId: second.message.id });
    expect(refused).toMatchObject({ type: "error", code: "not_allowed" });
    const row = (await server.sql.get<{ deletedAt: number | null }>(`SELECT deleted_at AS "deletedAt" FROM messages WHERE id = ?`, second.message.id))!;
    expect(row.deletedAt).toBeNull();
  });

  test("gains the new display name for the messages it posts after the change", async () => {
    const { user, socket } = await userWithSocket(server, { displayName: "Old Name" });
    const res = await api(server, user, "/api/rooms", { json: { kind: "private", name: "notes" } });
    const { room } = (await res.json()) as { room: { id: number } };
    const announced = socket.next((e) => e.type === "user.updated" && e.user.id === user.id);
    const renamed = await api(server, user, "/api/account", { method: "PATCH", json: { displayName: "New Name" } });
    expect(renamed.status).toBe(200);
    // Everyone is told (in a cluster, the socket may be on another node: once told, it acts as renamed).
    expect(await announced).toMatchObject({ type: "user.updated", user: { id: user.id, displayName: "New Name" } });
    const posted = await socket.post({ type: "message.post", roomId: room.id, clientId: uuid(), body: "hello" });
    expect(posted.message.author.displayName).toBe("New Name");
  });
});

describe("an account an admin acts on", () => {
  test("is disabled: its open sockets close with 4401 at once, and a new one is refused", async () => {
    const boss = await userWithSocket(server, { isAdmin: true });
    const target = await userWithSocket(server);
    const res = await api(server, boss.user, `/api/admin/users/${target.user.id}`, { method: "PATCH", json: { disabled: true } });
    expect(res.status).toBe(200);
    expect((await target.socket.closed).code).toBe(4401);
    const upgrade = await api(server, target.user, "/ws");
    expect(upgrade.status).toBe(401);
  });

  test("gets a reset link: nothing changes until it is used, then its sockets close and the old sessions are gone", async () => {
    const boss = await userWithSocket(server, { isAdmin: true });
    const target = await userWithSocket(server);
    const reset = await api(server, boss.user, `/api/admin/users/${target.user.id}/reset-password`, { method: "POST" });
    const { link } = (await reset.json()) as { link: string };
    await target.socket.ok({ type: "ping" });
    const used = await api(server, null, "/api/auth/reset-password", {
      json: { token: link.split("#token=")[1], newPassword: "a brand new passphrase 42" },
    });
    expect(used.status).toBe(204);
    expect((await target.socket.closed).code).toBe(4401);
    expect((await api(server, target.user, "/api/me")).status).toBe(401);
    const login = await api(server, null, "/api/auth/login", { json: { username: target.user.username, password: "a brand new passphrase 42" } });
    expect(login.status).toBe(200);
  });
});

describe("a busy socket", () => {
  test("notices a session ended behind the server's back (the operator's CLI) and closes with 4401", async () => {
    const { user, socket } = await userWithSocket(server);
    // `vaultroom user reset-password` on the same data directory deletes the rows; no event reaches us.
    expect(await server.sql.run("DELETE FROM sessions WHERE id = ?", user.sessionId)).toBe(1);
    await socket.ok({ type: "ping" });
    setSystemTime(new Date(Date.now() + SESSION_RECHECK_MS + 1000));
    socket.send({ type: "ping", requestId: "late" });
    expect((await socket.closed).code).toBe(4401);
    expect(socket.events.some((e) => e.type === "ack" && e.requestId === "late")).toBe(false);
  });

  test("slides its session's expiry while it is used, like HTTP requests do", async () => {
    const { user, socket } = await userWithSocket(server);
    const expiry = async () => (await server.sql.get<{ at: number }>("SELECT expires_at AS at FROM sessions WHERE id = ?", user.sessionId))!;
    const before = await expiry();
    setSystemTime(new Date(Date.now() + 5 * 60_000));
    await socket.ok({ type: "ping" });
    // The touch is written without holding up the frame; it has committed once what follows it has.
    await server.sql.settled();
    const after = await expiry();
    expect(after.at).toBeGreaterThan(before.at);
  });
});
