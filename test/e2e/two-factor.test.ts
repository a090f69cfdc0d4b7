// Two-factor sign-in as a person meets it, in real Chromium against the compiled binary: turning on
// TOTP from the QR code's key (the test computes the codes, as a phone would), logging in with a code
// and, phone lost, with a recovery code; forced enrolment by the admin's policy; downloading my data.
// In English and in French, with axe (WCAG 2.2 AA) on every new screen.
import { expect, test } from "bun:test";
import { strFromU8, unzipSync } from "fflate";
import { readFileSync } from "node:fs";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectText, PASSWORD } from "./web-helpers.ts";
import { codeAt, expectNoViolation, passwordStep } from "./account-security-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;
/** Chromium logs every 4xx answer as a console error: these are the refusals the journeys provoke on purpose. */
const PROVOKED = /status of 40[01] \(.*\) at https:\/\/[^/]+\/api\/auth\/(second-factor|reset-password)$/;
const problems = (stage: { problems(): string[] }) => stage.problems().filter((p) => !PROVOKED.test(p));

test("TOTP from the QR code's key; log in with a code, then with a recovery code; my data downloads as a zip", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard" });
  const page = alice.page;
  await stage.call(alice, "POST", `/api/rooms`, { kind: "private", name: "diary", members: [] });
  await stage.call(alice, "PATCH", "/api/admin/settings", { serverName: "Acme Chat" });
  await page.reload();
  // The first admin is warned until there is a second factor.
  await expectText(page.locator(".notice"), /administrator without a second factor/);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.locator("[data-testid=totp-secret]").textContent())!.replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: /QR code/ }).getAttribute("src")).resolves.toStartWith("data:image/svg+xml");
  await expectNoViolation(page, "TOTP set-up");
  await screenshot(page, "totp-setup");
  await page.locator("#totp-code").fill(codeAt(secret, Date.now()));
  await page.getByRole("button", { name: "Turn on", exact: true }).click();
  await page.locator("[data-testid=recovery-codes] li").first().waitFor();
  const codes = (await page.locator("[data-testid=recovery-codes] li").allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await expectNoViolation(page, "recovery codes");
  // The file says where and for whom the codes work, and since when (issue 19).
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download as a file" }).click()]);
  expect(file.suggestedFilename()).toBe(`vaultroom-recovery-codes-alice-${new URL(stage.url).host.replace(":", "-")}.txt`);
  const saved = readFileSync((await file.path())!, "utf8");
  expect(saved).toContain(`Server: Acme Chat (${new URL(stage.url).origin})`);
  expect(saved).toContain("Account: alice\n");
  expect(saved).toMatch(new RegExp(`Made: .*${new Date().getFullYear()}`));
  for (const code of codes) expect(saved).toContain(`\n${code}\n`);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.locator(".notice").count()).resolves.toBe(0);

  // Log out, log in: the password, then a code (the next time step: the first one is spent).
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/login$/);
  await passwordStep(page, stage.url, "alice", PASSWORD);
  await expectText(page.locator("main h1"), "Confirm it is you");
  await expectNoViolation(page, "second step");
  await page.locator("#login-code").fill(codeAt(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/chat/);

  // Phone lost: a recovery code instead, once.
  await page.goto(`${stage.url}/dashboard`);
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/login$/);
  await passwordStep(page, stage.url, "alice", PASSWORD);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.locator("#login-recovery").fill(codes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/chat/);

  // My data: prepared in the background, then downloaded.
  await page.goto(`${stage.url}/dashboard`);
  await page.getByRole("button", { name: "Prepare my data" }).click();
  const link = page.getByRole("link", { name: "Download" });
  await link.waitFor({ timeout: 20_000 });
  await expectNoViolation(page, "dashboard with an export");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  expect(JSON.parse(strFromU8(zip["profile.json"]!))).toMatchObject({ username: "alice", signIn: { recoveryCodesLeft: 9 } });
  expect((JSON.parse(strFromU8(zip["rooms.json"]!)) as { name: string }[]).map((r) => r.name)).toContain("diary");
  expect(Object.keys(zip).join(" ")).not.toContain("secret");
  expect(problems(stage)).toEqual([]);
}, STEP);

test("en français : la règle de l'administrateur impose la double authentification, puis la connexion demande le code", async () => {
  const stage = current();
  const admin = await stage.person("root_admin", { path: "/dashboard?tab=server" });
  await stage.call(admin, "PUT", "/api/admin/second-factor-policy", { policy: "everyone", graceLogins: 0 });
  await stage.call(null, "POST", "/api/auth/register", { username: "bruno", password: PASSWORD });
  // A French browser.
  const { page } = await stage.visitor({ locale: "fr-FR" });
  await passwordStep(page, stage.url, "bruno", PASSWORD);
  await page.waitForURL(/\/dashboard\?enrol=1/);
  await expectText(page.locator(".notice"), /Un administrateur exige la double authentification/);
  await expectNoViolation(page, "enrolment (fr)");
  await screenshot(page, "enrol-fr");
  // The chat is closed until a second factor is there.
  await page.goto(`${stage.url}/chat`);
  await page.waitForURL(/\/dashboard\?enrol=1/);
  await page.getByRole("button", { name: "Configurer une application d’authentification" }).click();
  const secret = (await page.locator("[data-testid=totp-secret]").textContent())!.replace(/\s+/g, "");
  // French typography: a no-break space before the colon.
  expect(await page.locator("label[for=totp-code]").textContent()).toEndWith("maintenant\u00a0:");
  await page.locator("#totp-code").fill(codeAt(secret, Date.now()));
  await page.getByRole("button", { name: "Activer", exact: true }).click();
  await page.locator("[data-testid=recovery-codes] li").first().waitFor();
  await expectNoViolation(page, "codes de secours");
  await page.getByRole("button", { name: "Je les ai enregistrés" }).click();
  await page.goto(`${stage.url}/chat`);
  await page.locator(".user-menu").first().waitFor({ state: "attached" });

  // Logging in again asks for the code, in French.
  await page.goto(`${stage.url}/dashboard`);
  await page.getByRole("button", { name: "Se déconnecter" }).last().click();
  await page.waitForURL(/\/login$/);
  await passwordStep(page, stage.url, "bruno", PASSWORD);
  await expectText(page.locator("main h1"), "Confirmez que c’est vous");
  await page.locator("#login-code").fill("000000");
  await page.getByRole("button", { name: "Vérifier" }).click();
  await expectText(page.locator("[role=alert]").first(), /Ce code est incorrect/);
  await page.locator("#login-code").fill(codeAt(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Vérifier" }).click();
  await page.waitForURL(/\/chat/);
  expect(problems(stage)).toEqual([]);
}, STEP);

test("forgot your password: the login page explains; the admin's reset link sets a new one", async () => {
  const stage = current();
  const admin = await stage.person("root_admin", { path: "/dashboard?tab=server" });
  await stage.call(null, "POST", "/api/auth/register", { username: "carla", password: PASSWORD });
  await admin.page.reload();
  // No display name: the Users table shows the username alone (issue 19 §13).
  const row = admin.page.locator("section[aria-labelledby=users-title] tr", { has: admin.page.getByRole("cell", { name: "carla", exact: true }) });
  await row.getByRole("button", { name: "Reset password" }).click();
  await admin.page.getByRole("dialog").getByRole("button", { name: "Reset password" }).click();
  const link = (await admin.page.locator("[data-testid=reset-link]").textContent())!;
  expect(link).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/reset-password#token=[A-Za-z0-9_-]{43}$/);
  await expectNoViolation(admin.page, "reset link dialog");

  const carla = await stage.visitor();
  await carla.page.goto(`${stage.url}/login`);
  await carla.page.getByText("Forgot your password?").click();
  await expectText(carla.page.locator(".forgot"), /ask an administrator/);
  await expectNoViolation(carla.page, "login with help open");
  await carla.page.goto(link);
  await carla.page.locator("#reset-password").fill("a brand new long passphrase");
  await carla.page.getByRole("button", { name: "Set the new password" }).click();
  await carla.page.waitForURL(/\/login\?reset=1/);
  await expectText(carla.page.locator("[role=status]").first(), /Your new password is set/);
  await passwordStep(carla.page, stage.url, "carla", "a brand new long passphrase");
  await carla.page.waitForURL(/\/chat/);
  // The link worked once.
  await carla.page.goto(`${stage.url}/dashboard`);
  await carla.page.getByRole("button", { name: "Log out" }).last().click();
  await carla.page.goto(link);
  // Said as soon as the page opens (issue 19), not after a new password was typed for nothing.
  await expectText(carla.page.locator("[role=alert]").first(), /not valid/);
  expect(await carla.page.locator("#reset-password").count()).toBe(0);
  expect(problems(stage)).toEqual([]);
}, STEP);
