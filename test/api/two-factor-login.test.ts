import { afterAll, beforeAll, describe, expect, spyOn, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { auditRows, errorOf, isLoggedIn, loginUser, PASSWORD, registerUser } from "./accounts-helpers.ts";
import { allAccounts, codeFor, enrolTotp, passwordStep, ROOMY_LIMITS, secondStep, testClock } from "./two-factor-helpers.ts";

describe("logging in with a second factor", () => {
  let app: TestApp;
  let clock: ReturnType<typeof testClock>;
  let secret = "";
  let recoveryCodes: string[] = [];
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp({ config: ROOMY_LIMITS });
    clock = testClock(app);
    const alice = await registerUser(app, "alice");
    ({ secret, recoveryCodes } = await enrolTotp(app, alice.cookie, clock));
    await registerUser(app, "bob");
  });

  test("a correct password answers secondFactor: required with no session cookie, only the half-session's", async () => {
    const { response, body, cookies, half } = await passwordStep(app, "alice");
    expect(response.status).toBe(200);
    expect(body).toEqual({ secondFactor: "required", methods: ["totp", "recovery"] });
    expect(cookies.some((c) => c.startsWith("__Host-vaultroom_session=") && !c.startsWith("__Host-vaultroom_session=;"))).toBe(false);
    expect(half).not.toBe("");
    const attributes = cookies.find((c) => c.startsWith("__Host-vaultroom_2fa="))!;
    expect(attributes).toContain("HttpOnly");
    expect(attributes).toContain("Secure");
    expect(attributes).toContain("SameSite=Strict");
    expect(attributes).toContain("Max-Age=300");
  });

  test("the half-session opens nothing but the second step", async () => {
    const { half } = await passwordStep(app, "alice");
    for (const path of ["/api/me", "/api/sessions", "/api/rooms", "/api/account/security"]) {
      expect({ path, status: (await app.request(path, { cookie: half })).status }).toEqual({ path, status: 401 });
    }
    expect((await app.request("/api/account/totp/setup", { method: "POST", cookie: half })).status).toBe(401);
    expect(await (await app.request("/api/auth/session", { cookie: half })).json()).toMatchObject({ user: null });
  });

  test("a TOTP code finishes the login; the same code cannot be used again", async () => {
    const at = clock.nextStep();
    const { half } = await passwordStep(app, "alice");
    const { response, cookie } = await secondStep(app, half, codeFor(secret, at));
    expect(response.status).toBe(200);
    expect(await isLoggedIn(app, cookie)).toBe(true);
    expect(response.headers.getSetCookie().find((c) => c.startsWith("__Host-vaultroom_2fa="))).toStartWith("__Host-vaultroom_2fa=; Max-Age=0");
    // The half-session is spent.
    expect(await errorOf((await secondStep(app, half, codeFor(secret, at))).response)).toEqual({ status: 401, error: "second_factor_expired" });
    // A new half-session with the code already used: refused.
    const again = await passwordStep(app, "alice");
    expect(await errorOf((await secondStep(app, again.half, codeFor(secret, at))).response)).toEqual({ status: 401, error: "invalid_code" });
    const rows = await auditRows(app, "login_succeeded");
    expect(rows[0]!.detail?.method).toBe("password+totp");
  });

  test("a password change ends the sign-ins begun with the old password that wait for their second factor", async () => {
    const carol = await registerUser(app, "carol");
    const enrolled = await enrolTotp(app, carol.cookie, clock);
    const { half } = await passwordStep(app, "carol");
    const changed = await app.request("/api/account/password", {
      json: { currentPassword: PASSWORD, newPassword: "a brand new passphrase for carol" },
      cookie: carol.cookie,
    });
    expect(changed.status).toBe(200);
    const at = clock.nextStep();
    expect(await errorOf((await secondStep(app, half, codeFor(enrolled.secret, at))).response)).toEqual({ status: 401, error: "second_factor_expired" });
  });

  test("a code from the previous step works (clock drift) but not one older", async () => {
    const at = clock.nextStep();
    clock.advance(30_000);
    const { half } = await passwordStep(app, "alice");
    expect((await secondStep(app, half, codeFor(secret, at - 60_000))).response.status).toBe(401);
    expect((await secondStep(app, half, codeFor(secret, at))).response.status).toBe(200);
  });

  test("five wrong codes end the half-session; a right code after that is refused", async () => {
    const at = clock.nextStep();
    const { half } = await passwordStep(app, "alice");
    for (let i = 1; i <= 4; i++) expect(await errorOf((await secondStep(app, half, "000000")).response)).toEqual({ status: 401, error: "invalid_code" });
    expect(await errorOf((await secondStep(app, half, "000001")).response)).toEqual({ status: 401, error: "second_factor_expired" });
    expect(await errorOf((await secondStep(app, half, codeFor(secret, at))).response)).toEqual({ status: 401, error: "second_factor_expired" });
    const failed = await auditRows(app, "second_factor_failed");
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(failed[0]!.detail).toMatchObject({ method: "totp", ended: true });
  });

  test("a half-session expires after 5 minutes", async () => {
    const { half } = await passwordStep(app, "alice");
    await app.sql.run("UPDATE login_challenges SET expires_at = ? WHERE expires_at > ?", Date.now() - 1, Date.now());
    const at = clock.nextStep();
    expect(await errorOf((await secondStep(app, half, codeFor(secret, at))).response)).toEqual({ status: 401, error: "second_factor_expired" });
  });

  test("a forged or missing half-session cookie gets the same answer", async () => {
    expect(await errorOf((await secondStep(app, "", "123456")).response)).toEqual({ status: 401, error: "second_factor_expired" });
    expect(await errorOf((await secondStep(app, "__Host-vaultroom_2fa=abc.def", "123456")).response)).toEqual({ status: 401, error: "second_factor_expired" });
    const { half } = await passwordStep(app, "alice");
    const [name, value] = half.split("=");
    const [id] = value!.split(".");
    expect(await errorOf((await secondStep(app, `${name}=${id}.${"A".repeat(43)}`, "123456")).response)).toEqual({ status: 401, error: "second_factor_expired" });
  });

  test("a recovery code finishes the login once; the others still work", async () => {
    const first = await passwordStep(app, "alice");
    const ok = await secondStep(app, first.half, recoveryCodes[0]!.toUpperCase());
    expect(ok.response.status).toBe(200);
    const second = await passwordStep(app, "alice");
    expect(await errorOf((await secondStep(app, second.half, recoveryCodes[0]!)).response)).toEqual({ status: 401, error: "invalid_code" });
    expect((await secondStep(app, second.half, recoveryCodes[1]!.replaceAll("-", " "))).response.status).toBe(200);
    const used = await auditRows(app, "recovery_code_used");
    expect(used[0]!.detail).toMatchObject({ left: 8 });
  });

  test("a wrong password, an unknown user and an account without 2FA answer as before, after one hash each", async () => {
    // Every node's hasher (a cluster's requests go to either node).
    const verifies = allAccounts(app).map((accounts) => spyOn(accounts.passwords, "verify"));
    const dummies = allAccounts(app).map((accounts) => spyOn(accounts.passwords, "verifyDummy"));
    const calls = (spies: typeof verifies) => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    try {
      const wrong2fa = await passwordStep(app, "alice", "not the password at all");
      const wrongPlain = await passwordStep(app, "bob", "not the password at all");
      const unknown = await passwordStep(app, "nobody-here", "not the password at all");
      for (const each of [wrong2fa, wrongPlain, unknown]) {
        expect(each.response.status).toBe(401);
        expect(each.body).toEqual(unknown.body);
        expect(each.cookies).toEqual([]);
      }
      // Whether the account has a second factor is learned only with its password.
      expect(calls(verifies)).toBe(2);
      expect(calls(dummies)).toBe(1);
      for (const spy of verifies) spy.mockClear();
      const right = await passwordStep(app, "alice");
      expect(right.body.secondFactor).toBe("required");
      const at = clock.nextStep();
      expect((await secondStep(app, right.half, codeFor(secret, at))).response.status).toBe(200);
      // The TOTP login cost exactly one argon2id verify, as a login without 2FA does.
      expect(calls(verifies)).toBe(1);
      expect((await loginUser(app, "bob")).user.username).toBe("bob");
    } finally {
      for (const spy of [...verifies, ...dummies]) spy.mockRestore();
    }
  });
});

describe("second-factor limits", () => {
  let app: TestApp;
  afterAll(() => app.close());
  beforeAll(async () => {
    app = await createTestApp();
    const clock = testClock(app);
    const carol = await registerUser(app, "carol");
    await enrolTotp(app, carol.cookie, clock);
  });

  test("second-factor tries spend the account's login bucket: past it, 429 even with fresh half-sessions", async () => {
    const statuses: number[] = [];
    // 10 per account (accounts-limits): each password step and each code takes one.
    for (let i = 0; i < 6; i++) {
      const { response, half } = await passwordStep(app, "carol");
      statuses.push(response.status);
      if (half) statuses.push((await secondStep(app, half, "000000")).response.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(10);
    expect(statuses[0]).toBe(200);
    expect(PASSWORD).toBeTruthy();
  });
});
