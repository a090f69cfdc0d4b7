import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { storeRegistrationMode } from "../support/commands.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, errorOf, isLoggedIn, PASSWORD, registerUser } from "./accounts-helpers.ts";

/** Sets the mode straight in the settings table, as an operator's earlier choice would have. */
const storeMode = storeRegistrationMode;

const register = (test: TestApp, json: Record<string, unknown>) =>
  test.request("/api/auth/register", { json: { password: PASSWORD, ...json } });

describe("registration", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  test("the first account becomes the admin and is logged in at once", async () => {
    const response = await register(app, { username: "Alice", displayName: "  Alice   Liddell " });
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: Record<string, unknown> };
    expect(user).toMatchObject({ username: "Alice", displayName: "Alice Liddell", isAdmin: true, disabled: false, mustChangePassword: false });
    expect(Object.keys(user).sort()).toEqual(["createdAt", "disabled", "displayName", "id", "isAdmin", "lastSeenAt", "mustChangePassword", "username"]);
    expect(JSON.stringify(user)).not.toContain("argon2");
  });

  test("later accounts are normal users", async () => {
    const bob = await registerUser(app, "bob");
    expect(bob.user.isAdmin).toBe(false);
    expect(await isLoggedIn(app, bob.cookie)).toBe(true);
  });

  test("a username already taken in another case or width is refused", async () => {
    expect(await errorOf(await register(app, { username: "ALICE" }))).toEqual({ status: 409, error: "username_taken" });
    expect(await errorOf(await register(app, { username: "ａｌｉｃｅ" }))).toEqual({ status: 409, error: "username_taken" });
  });

  test("a username that looks like an existing one is refused", async () => {
    for (const lookalike of ["аlice", "bοb", "b0b", "AIice"]) {
      expect(await errorOf(await register(app, { username: lookalike }))).toEqual({ status: 409, error: "username_confusable" });
    }
  });

  test("bidi overrides, zero-width and control characters are refused in names", async () => {
    for (const username of ["eve\u202Etxt.exe", "ev\u200Be", "\u2067eve", "eve\u0007"]) {
      expect(await errorOf(await register(app, { username }))).toEqual({ status: 400, error: "username_invisible_characters" });
    }
    expect(await errorOf(await register(app, { username: "eve", displayName: "Eve\u202E" }))).toEqual({
      status: 400,
      error: "display_name_invisible_characters",
    });
  });

  test("usernames need 3 to 32 allowed characters", async () => {
    expect(await errorOf(await register(app, { username: "ev" }))).toEqual({ status: 400, error: "username_length" });
    expect(await errorOf(await register(app, { username: "e".repeat(33) }))).toEqual({ status: 400, error: "username_length" });
    expect(await errorOf(await register(app, { username: "eve smith" }))).toEqual({ status: 400, error: "username_characters" });
  });

  test("an over-long password is refused with 400 before any hashing", async () => {
    const accounts = accountsOf(app);
    const hash = spyOn(accounts.passwords, "hash");
    try {
      for (const password of ["p".repeat(257), "p".repeat(60_000)]) {
        expect(await errorOf(await register(app, { username: "mallory", password }))).toEqual({ status: 400, error: "password_too_long" });
      }
      expect(hash).not.toHaveBeenCalled();
    } finally {
      hash.mockRestore();
    }
  });

  test("short, common and username-equal passwords are refused", async () => {
    expect(await errorOf(await register(app, { username: "eve", password: "short-pw" }))).toEqual({ status: 400, error: "password_too_short" });
    for (const password of ["1234567890", "qwertyuiop", "Password123"]) {
      expect(await errorOf(await register(app, { username: "eve", password }))).toEqual({ status: 400, error: "password_too_common" });
    }
    expect(await errorOf(await register(app, { username: "evelyn2024", password: "EVELYN2024" }))).toEqual({
      status: 400,
      error: "password_is_username",
    });
  });

  test("a malformed body is a 400, not a crash", async () => {
    expect((await app.request("/api/auth/register", { json: { username: 42 } })).status).toBe(400);
    const garbage = await app.request("/api/auth/register", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(garbage.status).toBe(400);
  });
});

describe("registration modes", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());
  let admin = "";

  const setMode = (registrationMode: string) => app.request("/api/admin/settings", { method: "PATCH", json: { registrationMode }, cookie: admin });
  const newInvite = async (json: Record<string, unknown> = {}) => {
    const response = await app.request("/api/admin/invites", { json, cookie: admin });
    expect(response.status).toBe(201);
    return (await response.json()) as { invite: { id: string; maxUses: number }; token: string; link: string };
  };

  test("the first account becomes the admin even when registration is closed", async () => {
    await app.store.write(storeMode, "closed");
    // The page says so before the first account is made, and no more once it is.
    expect(await (await app.request("/api/auth/registration")).json()).toEqual({ mode: "closed", serverName: null, firstAccount: true });
    const first = await registerUser(app, "root");
    expect(first.user.isAdmin).toBe(true);
    admin = first.cookie;
    expect(await (await app.request("/api/auth/registration")).json()).toEqual({ mode: "closed", serverName: null, firstAccount: false });
  });

  test("closed: nobody else may register", async () => {
    expect(await errorOf(await register(app, { username: "walker" }))).toEqual({ status: 403, error: "registration_closed" });
  });

  test("invite: registering needs a valid invite, and an invite has a use limit", async () => {
    expect((await setMode("invite")).status).toBe(200);
    expect(await errorOf(await register(app, { username: "walker" }))).toEqual({ status: 403, error: "invite_required" });
    expect(await errorOf(await register(app, { username: "walker", invite: "made-up-token" }))).toEqual({ status: 403, error: "invite_invalid" });

    const { token, link, invite } = await newInvite({ maxUses: 2 });
    expect(link).toBe(`/register#invite=${token}`);
    await registerUser(app, "guest1", { invite: token });
    await registerUser(app, "guest2", { invite: token });
    expect(await errorOf(await register(app, { username: "guest3", invite: token }))).toEqual({ status: 403, error: "invite_used_up" });

    const listed = (await (await app.request("/api/admin/invites", { cookie: admin })).json()) as { invites: Array<Record<string, unknown>> };
    expect(listed.invites.find((i) => i.id === invite.id)).toMatchObject({ uses: 2, maxUses: 2, status: "used_up" });
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  test("invite: an expired or revoked invite is refused", async () => {
    const expiring = await newInvite({ expiresInHours: 1 });
    expect(await app.sql.run("UPDATE invites SET expires_at = ? WHERE id = ?", Date.now() - 1, expiring.invite.id)).toBe(1);
    expect(await errorOf(await register(app, { username: "late", invite: expiring.token }))).toEqual({ status: 403, error: "invite_expired" });

    const revoked = await newInvite();
    const revoke = await app.request(`/api/admin/invites/${revoked.invite.id}`, { method: "DELETE", cookie: admin });
    expect(((await revoke.json()) as { invite: { status: string } }).invite.status).toBe("revoked");
    expect(await errorOf(await register(app, { username: "late", invite: revoked.token }))).toEqual({ status: 403, error: "invite_invalid" });
  });

  test("only the SHA-256 of an invite token is stored", async () => {
    const { token, invite } = await newInvite();
    const row = (await app.sql.get("SELECT * FROM invites WHERE id = ?", invite.id))!;
    expect(JSON.stringify(Object.values(row).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64url") : v)))).not.toContain(token);
    expect(Buffer.from(row.token_hash as Uint8Array).toString("hex")).toBe(new Bun.CryptoHasher("sha256").update(token).digest("hex"));
  });

  test("open: anyone may register, and invites are not needed", async () => {
    expect((await setMode("open")).status).toBe(200);
    expect(await (await app.request("/api/auth/registration")).json()).toEqual({ mode: "open", serverName: null, firstAccount: false });
    const newcomer = await registerUser(app, "newcomer");
    expect(newcomer.user.isAdmin).toBe(false);
  });
});
