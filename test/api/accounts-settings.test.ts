import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser, watchEndedSessions, type Session } from "./accounts-helpers.ts";

const NEW_PASSWORD = "violet harbour lantern 42";

describe("account settings", () => {
  let app: TestApp;
  afterAll(() => app.close());
  let alice: Session;
  let dave: Session;

  beforeAll(async () => {
    app = await createTestApp();
    alice = await registerUser(app, "alice");
    dave = await registerUser(app, "dave");
  });

  const changePassword = (cookie: string, currentPassword: string, newPassword: string) =>
    app.request("/api/account/password", { json: { currentPassword, newPassword }, cookie });

  test("changing the password needs the current one", async () => {
    expect(await errorOf(await changePassword(dave.cookie, "wrong current password", NEW_PASSWORD))).toEqual({ status: 403, error: "wrong_password" });
    expect(await errorOf(await changePassword(dave.cookie, PASSWORD, "qwertyuiop"))).toEqual({ status: 400, error: "password_too_common" });
    expect(await errorOf(await changePassword(dave.cookie, PASSWORD, PASSWORD))).toEqual({ status: 400, error: "password_unchanged" });
    expect((await app.request("/api/account/password", { json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } })).status).toBe(401);
  });

  test("changing the password ends every other session, keeps this one, and is audited", async () => {
    const otherDevice = await loginUser(app, "dave");
    const ended = watchEndedSessions(app);
    const response = await changePassword(dave.cookie, PASSWORD, NEW_PASSWORD);
    expect(response.status).toBe(200);
    expect(await isLoggedIn(app, otherDevice.cookie)).toBe(false);
    expect(await isLoggedIn(app, dave.cookie)).toBe(true);
    expect(ended.map((e) => e.reason)).toEqual(["password_changed"]);
    expect(ended[0]!.sessionIds.length).toBeGreaterThanOrEqual(1);
    expect((await app.request("/api/auth/login", { json: { username: "dave", password: PASSWORD } })).status).toBe(401);
    expect((await loginUser(app, "dave", NEW_PASSWORD)).user.username).toBe("dave");
    const [row] = await auditRows(app, "password_changed");
    expect(row).toMatchObject({ actorId: dave.user.id, target: "dave" });
    expect(JSON.stringify(await accountsOf(app).audit.list())).not.toContain(NEW_PASSWORD);
  });

  test("the display name can be set, cleaned and cleared", async () => {
    const set = await app.request("/api/account", { method: "PATCH", json: { displayName: "  Alice  L. " }, cookie: alice.cookie });
    expect(((await set.json()) as { user: { displayName: string } }).user.displayName).toBe("Alice L.");
    expect(await errorOf(await app.request("/api/account", { method: "PATCH", json: { displayName: "x\u202Ey" }, cookie: alice.cookie }))).toEqual({
      status: 400,
      error: "display_name_invisible_characters",
    });
    const cleared = await app.request("/api/account", { method: "PATCH", json: { displayName: "" }, cookie: alice.cookie });
    expect(((await cleared.json()) as { user: { displayName: string | null } }).user.displayName).toBeNull();
  });

  test("the last admin cannot delete their account", async () => {
    const response = await app.request("/api/account", { method: "DELETE", json: { password: PASSWORD }, cookie: alice.cookie });
    expect(await errorOf(response)).toEqual({ status: 409, error: "last_admin" });
    expect(await isLoggedIn(app, alice.cookie)).toBe(true);
  });

  test("deleting an account needs the password, then scrubs it but keeps its messages as a deleted user's", async () => {
    const { sql } = app;
    // A room with one of dave's messages, written the way the chat tables hold them.
    const [room] = await sql.write<{ id: number }>(
      "INSERT INTO rooms (kind, name, created_by, created_at) VALUES ('public', 'general', ?, ?) RETURNING id",
      alice.user.id,
      Date.now(),
    );
    await sql.run("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)", room!.id, dave.user.id, Date.now());
    await sql.run("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, 'c1', 'hello from dave', ?)", room!.id, dave.user.id, Date.now());

    expect(await errorOf(await app.request("/api/account", { method: "DELETE", json: { password: "not my password" }, cookie: dave.cookie }))).toEqual({
      status: 403,
      error: "wrong_password",
    });
    const ended = watchEndedSessions(app);
    const response = await app.request("/api/account", { method: "DELETE", json: { password: NEW_PASSWORD }, cookie: dave.cookie });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toStartWith("__Host-vaultroom_session=; Max-Age=0");
    expect(ended.map((e) => e.reason)).toEqual(["account_deleted"]);
    expect(await isLoggedIn(app, dave.cookie)).toBe(false);
    expect((await app.request("/api/auth/login", { json: { username: "dave", password: NEW_PASSWORD } })).status).toBe(401);

    const row = (await sql.get("SELECT username, display_name, password_hash, deleted_at FROM users WHERE id = ?", dave.user.id))!;
    expect(row).toMatchObject({ username: `deleted-${dave.user.id}`, display_name: null, password_hash: "" });
    expect(row.deleted_at).toBeNumber();
    expect(await sql.all("SELECT body FROM messages WHERE author_id = ?", dave.user.id)).toEqual([{ body: "hello from dave" }]);
    expect(await sql.all("SELECT 1 FROM room_members WHERE user_id = ?", dave.user.id)).toEqual([]);
    expect((await auditRows(app, "account_deleted"))[0]).toMatchObject({ target: "dave" });

    // The name is free again; the new dave is a different account.
    const newDave = await registerUser(app, "dave");
    expect(newDave.user.id).not.toBe(dave.user.id);
  });
});
