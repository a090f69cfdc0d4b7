import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";
import { auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser, watchEndedSessions } from "./accounts-helpers.ts";
import { codeFor, enrolTotp, passwordStep, ROOMY_LIMITS, secondStep, testClock } from "./two-factor-helpers.ts";

const NEW_PASSWORD = "a different long passphrase";

describe("re-authentication for sensitive actions", () => {
  let app: TestApp;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp({ config: ROOMY_LIMITS });
    // The server's first account becomes its admin; the accounts below are ordinary ones.
    await registerUser(app, "root_admin");
  });

  // A session made straight in the database has never proved its password.
  const gated: [string, string, unknown?][] = [
    ["POST", "/api/account/totp/enable", { code: "123456" }],
    ["POST", "/api/account/totp/disable"],
    ["POST", "/api/account/recovery-codes"],
    ["POST", "/api/sessions/revoke-others"],
    ["DELETE", "/api/account", {}],
    ["POST", "/api/account/passkeys/options"],
    ["DELETE", "/api/account/passkeys/AAAA"],
  ];

  test("each sensitive action answers reauth_required to a session that has not proved its password lately", async () => {
    const stale = await createTestUser(app.deps);
    for (const [method, path, json] of gated) {
      const response = await app.request(path, { method, json, cookie: stale.cookie });
      expect({ method, path, ...(await errorOf(response)) }).toEqual({ method, path, status: 403, error: "reauth_required" });
    }
    expect(await isLoggedIn(app, stale.cookie)).toBe(true);
  });

  test("the password re-authenticates for 5 minutes; a wrong one does not, and is audited", async () => {
    const user = await createTestUser(app.deps);
    expect(await errorOf(await app.request("/api/account/reauth", { json: { password: "not the password" }, cookie: user.cookie }))).toEqual({
      status: 403,
      error: "wrong_password",
    });
    const ok = await app.request("/api/account/reauth", { json: { password: "correct horse battery staple" }, cookie: user.cookie });
    const { reauthUntil } = (await ok.json()) as { reauthUntil: number };
    expect(reauthUntil - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(reauthUntil - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect((await app.request("/api/sessions/revoke-others", { method: "POST", cookie: user.cookie })).status).toBe(200);
    // Five minutes later it is needed again.
    await app.sql.run("UPDATE session_reauth SET at = ? WHERE session_id = ?", Date.now() - 5 * 60_000 - 1, user.sessionId);
    expect((await errorOf(await app.request("/api/sessions/revoke-others", { method: "POST", cookie: user.cookie }))).error).toBe("reauth_required");
    expect((await auditRows(app, "reauthenticated"))[0]).toMatchObject({ target: user.username, detail: { method: "password" } });
  });

  test("a fresh login counts as a re-authentication; deleting the account then needs no password again", async () => {
    await registerUser(app, "dora");
    const dora = await loginUser(app, "dora");
    const response = await app.request("/api/account", { method: "DELETE", json: {}, cookie: dora.cookie });
    expect(response.status).toBe(204);
    expect(await isLoggedIn(app, dora.cookie)).toBe(false);
  });

  test("the re-authentication belongs to one session: another session of the same account is not let through", async () => {
    await registerUser(app, "erin");
    const fresh = await loginUser(app, "erin");
    const user = await app.sql.get<{ id: number }>("SELECT id FROM users WHERE username = 'erin'");
    const { loginTestUser } = await import("../support/users.ts");
    const other = await loginTestUser(app.deps, user!.id);
    expect((await app.request("/api/account/recovery-codes", { method: "POST", cookie: fresh.cookie })).status).toBe(409);
    expect((await errorOf(await app.request("/api/account/recovery-codes", { method: "POST", cookie: other.cookie }))).error).toBe("reauth_required");
  });
});

describe("TOTP settings", () => {
  let app: TestApp;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp({ config: ROOMY_LIMITS });
  });

  test("setup gives a base32 secret and an otpauth URI; a wrong first code does not turn it on", async () => {
    const { cookie } = await registerUser(app, "fay");
    const setup = (await (await app.request("/api/account/totp/setup", { method: "POST", cookie })).json()) as { secret: string; uri: string };
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toStartWith("otpauth://totp/VaultRoom:fay?");
    expect(setup.uri).toContain(`secret=${setup.secret}`);
    expect((await errorOf(await app.request("/api/account/totp/enable", { json: { code: "000000" }, cookie }))).error).toBe("invalid_code");
    const overview = (await (await app.request("/api/account/security", { cookie })).json()) as { totp: { enabled: boolean } };
    expect(overview.totp.enabled).toBe(false);
    // The stored secret is sealed: the base32 text is nowhere in the database.
    const stored = await app.sql.all<{ secret_box: Uint8Array }>("SELECT secret_box FROM totp_secrets");
    expect(Buffer.from(stored[0]!.secret_box).toString("latin1")).not.toContain(setup.secret);
  });

  test("enabling returns ten recovery codes once; regenerating replaces them; disabling removes TOTP and the codes", async () => {
    const clock = testClock(app);
    const { cookie } = await registerUser(app, "gus");
    const { recoveryCodes, secret } = await enrolTotp(app, cookie, clock);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/);
    const stored = await app.sql.all<{ code_hash: Uint8Array }>("SELECT code_hash FROM recovery_codes");
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!);
    expect((await errorOf(await app.request("/api/account/totp/setup", { method: "POST", cookie }))).error).toBe("totp_already_enabled");

    const renewed = (await (await app.request("/api/account/recovery-codes", { method: "POST", cookie })).json()) as { recoveryCodes: string[] };
    expect(renewed.recoveryCodes).toHaveLength(10);
    const at = clock.nextStep();
    const old = await passwordStep(app, "gus");
    expect((await errorOf((await secondStep(app, old.half, recoveryCodes[0]!)).response)).error).toBe("invalid_code");
    expect((await secondStep(app, old.half, renewed.recoveryCodes[0]!)).response.status).toBe(200);

    expect((await app.request("/api/account/totp/disable", { method: "POST", cookie })).status).toBe(204);
    expect(await app.sql.get("SELECT 1 AS x FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.username = 'gus'")).toBeNull();
    const plain = await passwordStep(app, "gus");
    expect(plain.body).toHaveProperty("user");
    expect(codeFor(secret, at)).toMatch(/^\d{6}$/);
    for (const event of ["totp_enabled", "recovery_codes_regenerated", "totp_disabled", "recovery_code_used"]) {
      expect({ event, logged: (await auditRows(app, event)).length > 0 }).toEqual({ event, logged: true });
    }
  });
});

describe("the admin's second-factor policy", () => {
  let app: TestApp;
  let admin: { cookie: string };
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp({ config: ROOMY_LIMITS });
    admin = await registerUser(app, "root_admin");
  });

  const setPolicy = (policy: string, graceLogins: number) =>
    app.request("/api/admin/second-factor-policy", { method: "PUT", json: { policy, graceLogins }, cookie: admin.cookie });

  test("only admins read or set it; it starts off", async () => {
    const plain = await registerUser(app, "hal");
    expect((await app.request("/api/admin/second-factor-policy", { cookie: plain.cookie })).status).toBe(403);
    expect((await app.request("/api/admin/second-factor-policy", { method: "PUT", json: { policy: "everyone", graceLogins: 0 }, cookie: plain.cookie })).status).toBe(403);
    expect(await (await app.request("/api/admin/second-factor-policy", { cookie: admin.cookie })).json()).toEqual({ policy: "off", graceLogins: 3 });
    expect((await setPolicy("sometimes", 1)).status).toBe(400);
  });

  test("everyone without a second factor gets N grace logins, then can only enrol; enrolling lets them in", async () => {
    const clock = testClock(app);
    await registerUser(app, "ivy");
    expect(await (await setPolicy("everyone", 1)).json()).toEqual({ policy: "everyone", graceLogins: 1 });
    const first = await loginUser(app, "ivy");
    const probe = (await (await app.request("/api/auth/session", { cookie: first.cookie })).json()) as { enrolment: { graceLoginsLeft: number } | null };
    expect(probe.enrolment).toEqual({ graceLoginsLeft: 0 });
    expect((await app.request("/api/rooms", { cookie: first.cookie })).status).toBe(200);
    const second = await loginUser(app, "ivy");
    expect(await errorOf(await app.request("/api/rooms", { cookie: second.cookie }))).toEqual({ status: 403, error: "second_factor_enrolment_required" });
    // So is the first session now: the account has used up its grace.
    expect((await app.request("/api/rooms", { cookie: first.cookie })).status).toBe(403);
    expect((await app.request("/api/me", { cookie: second.cookie })).status).toBe(200);
    await enrolTotp(app, second.cookie, clock);
    expect((await app.request("/api/rooms", { cookie: second.cookie })).status).toBe(200);
    expect((await auditRows(app, "second_factor_policy_changed"))[0]).toMatchObject({ target: "everyone" });
  });

  test("'admins' covers admins only", async () => {
    await setPolicy("admins", 0);
    await registerUser(app, "joan");
    const jo = await loginUser(app, "joan");
    expect((await app.request("/api/rooms", { cookie: jo.cookie })).status).toBe(200);
    const me = await loginUser(app, "root_admin");
    expect((await errorOf(await app.request("/api/rooms", { cookie: me.cookie }))).error).toBe("second_factor_enrolment_required");
    const overview = (await (await app.request("/api/account/security", { cookie: me.cookie })).json()) as { policy: unknown };
    expect(overview.policy).toEqual({ required: true, graceLoginsLeft: 0, mustEnrol: true });
    // Held for enrolment, the admin cannot lift the policy either: enrolling comes first.
    expect((await setPolicy("off", 3)).status).toBe(403);
    await app.sql.run("UPDATE settings SET value = 'off' WHERE key = 'second_factor_policy'");
  });

  test("an admin resets a user's second factors: audited, every session of theirs ends, the next login needs only the password", async () => {
    const clock = testClock(app);
    const kim = await registerUser(app, "kim");
    await enrolTotp(app, kim.cookie, clock);
    const other = await app.sql.get<{ id: number }>("SELECT id FROM users WHERE username = 'kim'");
    const me = await loginUser(app, "root_admin");
    const ended = watchEndedSessions(app);
    const self = await app.sql.get<{ id: number }>("SELECT id FROM users WHERE username = 'root_admin'");
    expect((await errorOf(await app.request(`/api/admin/users/${self!.id}/reset-second-factors`, { method: "POST", cookie: me.cookie }))).error).toBe("use_account_settings");
    expect((await app.request(`/api/admin/users/${other!.id}/reset-second-factors`, { method: "POST", cookie: kim.cookie })).status).toBe(403);
    const response = await app.request(`/api/admin/users/${other!.id}/reset-second-factors`, { method: "POST", cookie: me.cookie });
    expect(response.status).toBe(200);
    expect(ended.map((e) => e.reason)).toEqual(["second_factors_reset"]);
    expect(await isLoggedIn(app, kim.cookie)).toBe(false);
    expect((await passwordStep(app, "kim")).body).toHaveProperty("user");
    expect((await auditRows(app, "second_factors_reset"))[0]).toMatchObject({ target: "kim", detail: { totp: true } });
  });
});

describe("reset links", () => {
  let app: TestApp;
  let admin: { cookie: string };
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp({ config: ROOMY_LIMITS });
    admin = await registerUser(app, "root_admin");
  });

  const linkFor = async (username: string) => {
    const user = await app.sql.get<{ id: number }>("SELECT id FROM users WHERE username = ?", username);
    const response = await app.request(`/api/admin/users/${user!.id}/reset-password`, { method: "POST", cookie: admin.cookie });
    return ((await response.json()) as { link: string }).link.split("#token=")[1]!;
  };
  const use = (token: string, newPassword = NEW_PASSWORD) => app.request("/api/auth/reset-password", { json: { token, newPassword } });

  test("a link works once; using it again fails the same way as a made-up one", async () => {
    await registerUser(app, "lea");
    const token = await linkFor("lea");
    expect((await use(token)).status).toBe(204);
    expect(await errorOf(await use(token, "yet another long passphrase"))).toEqual({ status: 400, error: "reset_link_invalid" });
    expect(await errorOf(await use("x".repeat(43)))).toEqual({ status: 400, error: "reset_link_invalid" });
    expect(await errorOf(await use("short"))).toEqual({ status: 400, error: "reset_link_invalid" });
    expect((await loginUser(app, "lea", NEW_PASSWORD)).user.username).toBe("lea");
  });

  test("a link's page may ask whose account it is for, only while the link works", async () => {
    await registerUser(app, "noor");
    const token = await linkFor("noor");
    const whose = async (value: string) => {
      const response = await app.request("/api/auth/reset-password/account", { json: { token: value } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { account: { username: string } | null }).account;
    };
    expect((await whose(token))?.username).toBe("noor");
    expect(await whose("x".repeat(43))).toBeNull();
    expect((await use(token)).status).toBe(204);
    expect(await whose(token)).toBeNull();
  });

  test("a link expires after 24 hours, and a newer link replaces an unused one", async () => {
    await registerUser(app, "max");
    const expired = await linkFor("max");
    await app.sql.run("UPDATE password_resets SET expires_at = ? WHERE used_at IS NULL", Date.now() - 1);
    expect((await errorOf(await use(expired))).error).toBe("reset_link_invalid");
    const older = await linkFor("max");
    const newer = await linkFor("max");
    expect((await errorOf(await use(older))).error).toBe("reset_link_invalid");
    expect((await use(newer)).status).toBe(204);
  });

  test("the new password must follow the rules, and a refused one leaves the link usable", async () => {
    await registerUser(app, "ned");
    const token = await linkFor("ned");
    expect((await errorOf(await use(token, "short"))).error).toBe("password_too_short");
    expect((await errorOf(await use(token, "ned"))).error).toBe("password_too_short");
    expect((await use(token)).status).toBe(204);
  });

  test("a reset does not get around the second factor", async () => {
    const clock = testClock(app);
    const olive = await registerUser(app, "olive");
    await enrolTotp(app, olive.cookie, clock);
    expect((await use(await linkFor("olive"))).status).toBe(204);
    const step = await passwordStep(app, "olive", NEW_PASSWORD);
    expect(step.body).toMatchObject({ secondFactor: "required" });
    expect(PASSWORD).not.toBe(NEW_PASSWORD);
  });
});
