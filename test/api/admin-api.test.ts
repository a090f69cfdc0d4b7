import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { AdminUser, AuditEntry, ServerStats, User } from "../../src/accounts/types.ts";
import { createLogger } from "../../src/log.ts";
import { settings } from "../../src/accounts/settings.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser, watchEndedSessions, type Session } from "./accounts-helpers.ts";

const NEW_PASSWORD = "violet harbour lantern 42";

describe("admin API", () => {
  const logLines: string[] = [];
  let app: TestApp;
  afterAll(() => app.close());
  let alice: Session; // the first account: admin
  let bob: Session;
  let carol: Session;
  const secrets: string[] = [];

  beforeAll(async () => {
    app = await createTestApp({ logger: createLogger((line) => logLines.push(line)) });
    alice = await registerUser(app, "alice");
    bob = await registerUser(app, "bob");
    carol = await registerUser(app, "carol");
  });

  const asAdmin = (path: string, init: { method?: string; json?: unknown } = {}) => app.request(path, { ...init, cookie: alice.cookie });
  const patchUser = (id: number, json: unknown, cookie = alice.cookie) => app.request(`/api/admin/users/${id}`, { method: "PATCH", json, cookie });

  const ADMIN_ROUTES: Array<[string, string, unknown?]> = [
    ["GET", "/api/admin/users"],
    ["PATCH", "/api/admin/users/1", { isAdmin: false }],
    ["POST", "/api/admin/users/1/reset-password"],
    ["GET", "/api/admin/settings"],
    ["PATCH", "/api/admin/settings", { registrationMode: "closed" }],
    ["GET", "/api/admin/invites"],
    ["POST", "/api/admin/invites", {}],
    ["DELETE", "/api/admin/invites/some-id"],
    ["GET", "/api/admin/stats"],
    ["GET", "/api/admin/audit"],
  ];

  test("every admin route refuses a normal user with 403 and a visitor with 401", async () => {
    for (const [method, path, json] of ADMIN_ROUTES) {
      expect({ path, ...(await errorOf(await app.request(path, { method, json, cookie: bob.cookie }))) }).toEqual({ path, status: 403, error: "admin_only" });
      expect({ path, status: (await app.request(path, { method, json })).status }).toEqual({ path, status: 401 });
    }
    // Nothing changed: alice is still an admin and the mode is still open.
    expect(((await (await app.request("/api/me", { cookie: alice.cookie })).json()) as { user: User }).user.isAdmin).toBe(true);
    expect(await settings.registrationMode(app.store.read)).toBe("open");
  });

  test("lists users with their status, last seen and sessions", async () => {
    const { users } = (await (await asAdmin("/api/admin/users")).json()) as { users: AdminUser[] };
    expect(users.map((u) => u.username)).toEqual(["alice", "bob", "carol"]);
    expect(users[0]).toMatchObject({ isAdmin: true, disabled: false, sessions: 1, online: false });
    expect(users[1]!.lastSeenAt).toBeNumber();
    expect(JSON.stringify(users)).not.toContain("argon2");
  });

  test("promotes and demotes admins", async () => {
    const promoted = await patchUser(bob.user.id, { isAdmin: true });
    expect(((await promoted.json()) as { user: User }).user.isAdmin).toBe(true);
    expect((await app.request("/api/admin/users", { cookie: bob.cookie })).status).toBe(200);
    const demoted = await patchUser(bob.user.id, { isAdmin: false });
    expect(((await demoted.json()) as { user: User }).user.isAdmin).toBe(false);
    expect((await app.request("/api/admin/users", { cookie: bob.cookie })).status).toBe(403);
    expect(await errorOf(await patchUser(9999, { isAdmin: true }))).toEqual({ status: 404, error: "user_not_found" });
    expect((await patchUser(0, { isAdmin: true })).status).toBe(400);
  });

  test("the last admin can be neither demoted nor disabled", async () => {
    expect(await errorOf(await patchUser(alice.user.id, { isAdmin: false }))).toEqual({ status: 409, error: "last_admin" });
    expect(await errorOf(await patchUser(alice.user.id, { disabled: true }))).toEqual({ status: 409, error: "cannot_disable_self" });
    // With a second admin, alice may step down; then bob is the last one and cannot.
    await patchUser(bob.user.id, { isAdmin: true });
    expect((await patchUser(alice.user.id, { isAdmin: false })).status).toBe(200);
    expect(await errorOf(await patchUser(bob.user.id, { isAdmin: false }, bob.cookie))).toEqual({ status: 409, error: "last_admin" });
    expect(await errorOf(await patchUser(bob.user.id, { disabled: true }, bob.cookie))).toEqual({ status: 409, error: "cannot_disable_self" });
    // A disabled admin does not count: with alice back as admin, disabling bob leaves alice the last one.
    await patchUser(alice.user.id, { isAdmin: true }, bob.cookie);
    expect((await patchUser(bob.user.id, { disabled: true })).status).toBe(200);
    expect(await errorOf(await patchUser(alice.user.id, { isAdmin: false }))).toEqual({ status: 409, error: "last_admin" });
    await patchUser(bob.user.id, { disabled: false, isAdmin: false });
    bob = await loginUser(app, "bob");
  });

  test("disabling a user ends their sessions at once and stops them logging in; enabling lets them back", async () => {
    const ended = watchEndedSessions(app);
    const response = await patchUser(carol.user.id, { disabled: true });
    expect(((await response.json()) as { user: User }).user.disabled).toBe(true);
    expect(await isLoggedIn(app, carol.cookie)).toBe(false);
    expect(ended.map((e) => e.reason)).toEqual(["account_disabled"]);
    expect(ended[0]!.sessionIds).toHaveLength(1);
    const refused = await app.request("/api/auth/login", { json: { username: "carol", password: PASSWORD } });
    expect(await errorOf(refused)).toEqual({ status: 403, error: "account_disabled" });
    // A wrong password still gets the ordinary answer: being disabled is no oracle for guessers.
    expect((await app.request("/api/auth/login", { json: { username: "carol", password: "a wrong password" } })).status).toBe(401);
    await patchUser(carol.user.id, { disabled: false });
    carol = await loginUser(app, "carol");
  });

  test("a password reset gives a one-time link (not a typed password); using it ends every session", async () => {
    const ended = watchEndedSessions(app);
    const response = await asAdmin(`/api/admin/users/${carol.user.id}/reset-password`, { method: "POST" });
    const { user, link, expiresAt } = (await response.json()) as { user: User; link: string; expiresAt: number };
    const token = link.split("#token=")[1]!;
    secrets.push(token);
    expect(link).toStartWith("/reset-password#token=");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(user.username).toBe("carol");
    expect(expiresAt - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    // Only the token's hash is stored.
    const stored = await app.sql.all<{ token_hash: Uint8Array }>("SELECT token_hash FROM password_resets");
    expect(JSON.stringify(stored)).not.toContain(token);
    // Nothing changes until the link is used.
    expect(ended).toEqual([]);
    expect(await isLoggedIn(app, carol.cookie)).toBe(true);

    const used = await app.request("/api/auth/reset-password", { json: { token, newPassword: NEW_PASSWORD } });
    expect(used.status).toBe(204);
    expect(ended.map((e) => e.reason)).toEqual(["password_reset"]);
    expect(await isLoggedIn(app, carol.cookie)).toBe(false);
    expect((await app.request("/api/auth/login", { json: { username: "carol", password: PASSWORD } })).status).toBe(401);
    const fresh = await loginUser(app, "carol", NEW_PASSWORD);
    expect(fresh.user.mustChangePassword).toBe(false);
    expect(await errorOf(await asAdmin(`/api/admin/users/${alice.user.id}/reset-password`, { method: "POST" }))).toEqual({
      status: 409,
      error: "use_account_settings",
    });
    carol = fresh;
  });

  test("sets the registration mode", async () => {
    expect(await (await asAdmin("/api/admin/settings")).json()).toEqual({ registrationMode: "open", serverName: null });
    expect(await (await asAdmin("/api/admin/settings", { method: "PATCH", json: { registrationMode: "invite" } })).json()).toEqual({
      registrationMode: "invite",
      serverName: null,
    });
    expect(await (await app.request("/api/auth/registration")).json()).toEqual({ mode: "invite", serverName: null, firstAccount: false });
    expect((await asAdmin("/api/admin/settings", { method: "PATCH", json: { registrationMode: "anything" } })).status).toBe(400);
  });

  test("creates, lists and revokes invites; the token is shown once", async () => {
    const created = await asAdmin("/api/admin/invites", { method: "POST", json: { expiresInHours: 48, maxUses: 3 } });
    expect(created.status).toBe(201);
    const { invite, token } = (await created.json()) as { invite: { id: string; expiresAt: number; status: string }; token: string };
    secrets.push(token);
    expect(invite.status).toBe("active");
    expect(invite.expiresAt - Date.now()).toBeGreaterThan(47 * 3600_000);
    const list = async () => ((await (await asAdmin("/api/admin/invites")).json()) as { invites: Array<{ id: string; status: string }> }).invites;
    expect((await list()).find((i) => i.id === invite.id)?.status).toBe("active");
    expect(JSON.stringify(await list())).not.toContain(token);
    expect((await asAdmin(`/api/admin/invites/${invite.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await list()).find((i) => i.id === invite.id)?.status).toBe("revoked");
    expect(await errorOf(await asAdmin("/api/admin/invites/nope", { method: "DELETE" }))).toEqual({ status: 404, error: "invite_not_found" });
    expect((await asAdmin("/api/admin/invites", { method: "POST", json: { maxUses: 0 } })).status).toBe(400);
    expect((await asAdmin("/api/admin/invites", { method: "POST", json: { expiresInHours: 100_000 } })).status).toBe(400);
  });

  test("shows server stats", async () => {
    const stats = (await (await asAdmin("/api/admin/stats")).json()) as ServerStats;
    expect(stats).toMatchObject({ users: 3, admins: 1, disabledUsers: 0, rooms: 0, messages: 0, registrationMode: "invite" });
    expect(stats.sessions).toBeGreaterThanOrEqual(3);
    expect(stats.databaseBytes).toBeGreaterThan(0);
    expect(stats.storageBytes).toBeGreaterThanOrEqual(0);
    // Nobody has a socket open in this test.
    expect(stats.online).toEqual([]);
  });

  test("every admin action is in the audit log with its actor, and no secret is", async () => {
    const events = new Set((await accountsOf(app).audit.list({ limit: 500 })).map((e) => e.event));
    for (const event of ["admin_granted", "admin_revoked", "user_disabled", "user_enabled", "password_reset_link_created", "password_reset_used", "registration_mode_changed", "invite_created", "invite_revoked", "login_failed", "login_refused"]) {
      expect({ event, logged: events.has(event) }).toEqual({ event, logged: true });
    }
    expect((await auditRows(app, "user_disabled"))[0]).toMatchObject({ actorId: alice.user.id, actorName: "alice", target: "carol" });
    const { entries } = (await (await asAdmin("/api/admin/audit?limit=5")).json()) as { entries: AuditEntry[] };
    expect(entries).toHaveLength(5);
    expect(entries[0]!.id).toBeGreaterThan(entries[4]!.id);
    const older = (await (await asAdmin(`/api/admin/audit?before=${entries[4]!.id}&limit=1`)).json()) as { entries: AuditEntry[] };
    expect(older.entries[0]!.id).toBeLessThan(entries[4]!.id);

    // The JSON log has the same events, and neither it nor the table holds a password, token or cookie.
    expect(logLines.some((line) => line.includes('"event":"password_reset_link_created"'))).toBe(true);
    const everything = logLines.join("\n") + JSON.stringify(await accountsOf(app).audit.list({ limit: 500 }));
    for (const secret of [...secrets, PASSWORD, NEW_PASSWORD, alice.cookie.split("=")[1]!]) expect(everything).not.toContain(secret);
  });
});
