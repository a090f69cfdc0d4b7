// My own account, in real Chromium against the compiled binary: deleting it after confirming, and
// ending my other sessions from one device. Each test starts its own server (stage.ts).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { eventually, expectText, logInOnPage, PASSWORD } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

test("a person deletes their own account after confirming and is logged out; the admin's list no longer has them", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  const carol = await stage.person("carol", { path: "/dashboard" });
  await carol.page.getByLabel("Your password, to confirm").fill(PASSWORD);
  await carol.page.getByRole("button", { name: "Delete my account" }).click();
  await carol.page.getByRole("dialog", { name: "Delete your account?" }).getByRole("button", { name: "Delete my account" }).click();
  await carol.page.waitForURL(`${stage.url}/`);
  await alice.page.reload();
  await alice.page.locator("section[aria-labelledby=users-title] tr", { has: alice.page.getByRole("cell", { name: "alice", exact: true }) }).waitFor();
  expect(await alice.page.locator("section[aria-labelledby=users-title] tr", { has: alice.page.getByRole("cell", { name: "carol", exact: true }) }).count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("ending my other sessions from one device sends the other tab back to the login page", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  // The same person on a phone: a second session, logged in through the form.
  const phone = await stage.visitor({ viewport: { width: 375, height: 812 } });
  await logInOnPage(phone.page, stage.url, "alice");
  await phone.page.goto(`${stage.url}/dashboard`);
  await phone.page.getByRole("button", { name: "End all other sessions" }).click();
  await alice.page.waitForURL(/\/login\?ended=1/);
  await expectText(alice.page.locator("[role=status]").first(), "Your session has ended. Log in again to continue.");
  // Logging in again from there goes back to the chat.
  await logInOnPage(alice.page, stage.url, "alice");
  await alice.page.locator(".user-menu").waitFor();
  await phone.page.getByRole("button", { name: "Log out" }).last().click();
  await phone.page.waitForURL(/\/login$/);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("after a new password the sessions list shows at once that the other devices were logged out", async () => {
  const stage = current();
  await stage.person("alice");
  const phone = await stage.visitor({ viewport: { width: 375, height: 812 } });
  await logInOnPage(phone.page, stage.url, "alice");
  await phone.page.goto(`${stage.url}/dashboard`);
  const sessions = phone.page.locator("section[aria-labelledby=sessions-title]");
  await sessions.getByRole("button", { name: "End all other sessions" }).waitFor();
  await phone.page.getByLabel("Current password").fill(PASSWORD);
  await phone.page.getByLabel("New password").fill("another long passphrase 2026");
  await phone.page.getByRole("button", { name: "Change password" }).click();
  await expectText(phone.page.locator(".toast").last(), /password/i);
  const endOthers = sessions.getByRole("button", { name: "End all other sessions" });
  expect(await eventually(() => endOthers.isDisabled(), (disabled) => disabled)).toBe(true);
  expect(await sessions.getByRole("button", { name: /^End the session on/ }).count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);
