// Passkeys in real Chromium against the compiled binary, with the DevTools virtual authenticator
// (CTAP2, internal transport, resident keys, user verification) on https://localhost, the one place
// browsers allow WebAuthn with a self-signed certificate: add a passkey, log out, sign in with it
// without typing a username, use it as the second factor after a password, remove it. And on a bare
// address (127.0.0.1) the interface hides passkeys and says why.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectText, PASSWORD } from "./web-helpers.ts";
import { codeAt, expectNoViolation, passwordStep } from "./account-security-helpers.ts";

const current = stagePerTest();
const STEP = 120_000;
/** Chromium logs 4xx answers as console errors; none is provoked here. */
const localhost = (url: string) => url.replace("https://127.0.0.1:", "https://localhost:");

async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}

test("a passkey: added, then a login without a username, then as the second factor, then removed", async () => {
  const stage = current();
  const base = localhost(stage.url);
  const alice = await stage.person("alice");
  const page = alice.page;
  // The session cookie is for 127.0.0.1; at https://localhost this browser logs in afresh.
  await page.goto(`${base}/login`);
  await page.locator("#login-username").fill("alice");
  await page.locator("#login-password").fill(PASSWORD);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(/\/chat/);
  const authenticator = await virtualAuthenticator(page);

  await page.goto(`${base}/dashboard`);
  await page.locator("#passkey-name").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expectText(page.locator("[data-testid=passkey-list]"), /Test laptop/);
  expect(await authenticator.credentials()).toHaveLength(1);
  expect((await authenticator.credentials())[0]!.isResidentCredential).toBe(true);
  // A first second factor comes with recovery codes.
  await page.locator("[data-testid=recovery-codes] li").first().waitFor();
  await expectNoViolation(page, "passkeys");
  await screenshot(page, "passkeys");
  await page.getByRole("button", { name: "I have saved them" }).click();

  // Log out; at the login page the username field offers the passkey (conditional UI), which the
  // virtual authenticator accepts at once: signed in, nothing typed.
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/chat|\/login$/);
  await page.waitForURL(/\/chat/);
  expect(await page.evaluate(() => document.querySelector("#login-username"))).toBeNull();
  await page.goto(`${base}/dashboard`);
  await expectText(page.locator("[data-testid=passkey-list]"), /last used (?!never)/);

  // From here on the browser has no conditional UI, as many do: the button, then the second factor.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await page.reload();
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/login$/);
  expect(await page.locator("#login-username").getAttribute("autocomplete")).toBe("username webauthn");
  await page.getByRole("button", { name: "Log in with a passkey" }).click();
  await page.waitForURL(/\/chat/);
  await page.goto(`${base}/dashboard`);

  // With a password, the passkey is the second factor.
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/login$/);
  await passwordStep(page, base, "alice", PASSWORD);
  await expectText(page.locator("main h1"), "Confirm it is you");
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await page.waitForURL(/\/chat/);

  // Removed (the login a moment ago counts as the re-authentication).
  await page.goto(`${base}/dashboard`);
  await page.getByRole("button", { name: "Remove the passkey Test laptop" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expectText(page.locator("[data-testid=passkey-list]"), "No passkey yet.");
  // A removed passkey no longer opens the account.
  await page.getByRole("button", { name: "Log out" }).last().click();
  await page.waitForURL(/\/login$/);
  await page.getByRole("button", { name: "Log in with a passkey" }).click();
  await expectText(page.locator("[role=alert]").first(), /could not be verified/);
  expect(stage.problems().filter((p) => !/status of 400 .* at https:\/\/[^/]+\/api\/auth\/passkey$/.test(p))).toEqual([]);
}, STEP);

test("on a bare address the interface hides passkeys and says why; TOTP still works there", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard" });
  await expectText(alice.page.locator("#passkeys"), /need the server's name, not a bare address/);
  expect(await alice.page.getByRole("button", { name: "Add a passkey" }).count()).toBe(0);
  const visitor = await stage.visitor();
  await visitor.page.goto(`${stage.url}/login`);
  await expectText(visitor.page.locator(".passkey-note"), /not a bare address/);
  expect(await visitor.page.getByRole("button", { name: "Log in with a passkey" }).count()).toBe(0);
  expect(codeAt("JBSWY3DPEHPK3PXP", 0)).toMatch(/^\d{6}$/);
  expect(stage.problems()).toEqual([]);
}, STEP);
