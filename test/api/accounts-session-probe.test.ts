// GET /api/auth/session: the web client's "am I logged in?" probe. It answers 200 whether or not
// there is a session (a 401 would be logged by the browser as a failed request on every visit),
// and never trusts anything but the cookie.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { SessionProbe, User } from "../../src/accounts/types.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { loginUser, registerUser, type Session } from "./accounts-helpers.ts";

describe("the session probe", () => {
  let app: TestApp;
  let admin: Session;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp();
    admin = await registerUser(app, "alice");
  });

  const probe = async (cookie?: string) => {
    const response = await app.request("/api/auth/session", { cookie });
    return { status: response.status, body: (await response.json()) as SessionProbe };
  };

  test("a stranger gets 200 with no user and the registration mode", async () => {
    expect(await probe()).toEqual({ status: 200, body: { user: null, registrationMode: "open", serverName: null, setupNeeded: false } });
    expect(await probe("__Host-vaultroom_session=garbage")).toEqual({ status: 200, body: { user: null, registrationMode: "open", serverName: null, setupNeeded: false } });
  });

  test("a logged-in person gets the same user as /api/me", async () => {
    const me = (await (await app.request("/api/me", { cookie: admin.cookie })).json()) as { user: User };
    const { status, body } = await probe(admin.cookie);
    expect(status).toBe(200);
    expect(body.user).toEqual(me.user);
    expect(body.registrationMode).toBe("open");
  });

  test("follows the registration mode the admin sets", async () => {
    const changed = await app.request("/api/admin/settings", { method: "PATCH", json: { registrationMode: "invite" }, cookie: admin.cookie });
    expect(changed.status).toBe(200);
    expect((await probe()).body).toEqual({ user: null, registrationMode: "invite", serverName: null, setupNeeded: false });
    await app.request("/api/admin/settings", { method: "PATCH", json: { registrationMode: "open" }, cookie: admin.cookie });
  });

  test("after logout the same cookie answers no user", async () => {
    const { cookie } = await loginUser(app, "alice");
    expect((await probe(cookie)).body.user?.username).toBe("alice");
    await app.request("/api/auth/logout", { method: "POST", cookie });
    expect(await probe(cookie)).toEqual({ status: 200, body: { user: null, registrationMode: "open", serverName: null, setupNeeded: false } });
  });

  test("a person whose password was reset is still told who they are, with mustChangePassword", async () => {
    const bob = await registerUser(app, "bob");
    const reset = await app.request(`/api/admin/users/${bob.user.id}/reset-password`, { method: "POST", cookie: admin.cookie });
    const { password } = (await reset.json()) as { password: string };
    const again = await loginUser(app, "bob", password);
    const { status, body } = await probe(again.cookie);
    expect(status).toBe(200);
    expect(body.user).toMatchObject({ username: "bob", mustChangePassword: true });
  });
});
