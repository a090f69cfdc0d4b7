// The administrator's dashboard, in real Chromium against the compiled binary: invite-only
// registration with a copied link that works once, and a password reset that logs the person out
// and makes them choose a new one. The server's first account is its admin; each test starts its
// own server (stage.ts).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { expectText, logInOnPage, PASSWORD } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

test("an admin makes registration invite-only and hands out a copied invite link that works once", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  await alice.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stage.url });
  await alice.page.getByText("Invite only", { exact: true }).click();
  await expectText(alice.page.locator("section[aria-labelledby=registration-title] [role=status]"), "Registration mode saved.");
  await alice.page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await alice.page.getByTestId("invite-link").textContent())!;
  expect(link).toMatch(new RegExp(`^${stage.url}/register#invite=`));
  await alice.page.getByRole("button", { name: "Copy the invite link" }).click();
  await expectText(alice.page.locator(".toast").last(), "Copied to the clipboard.");
  expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const visitor = await stage.visitor();
  await visitor.page.goto(`${stage.url}/`);
  // The home page knows the server is invitation-only (from the session probe).
  await expectText(visitor.page.locator(".home-mode"), "Joining this server takes an invite link from its administrator.");
  await visitor.page.goto(link);
  expect(await visitor.page.getByLabel("Invite link or code").inputValue()).not.toBe("");
  await visitor.page.getByLabel("Username").fill("carol");
  await visitor.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await visitor.page.waitForURL(/\/chat/);
  await visitor.page.locator(".user-menu").waitFor();

  await alice.page.reload();
  await alice.page.locator("section[aria-labelledby=users-title]").getByRole("cell", { name: "carol", exact: true }).waitFor();
  await expectText(alice.page.locator(".invite-item .tag").first(), "Used up");
  await alice.page.getByText("Open", { exact: true }).click();
  await expectText(alice.page.locator("section[aria-labelledby=registration-title] [role=status]"), "Registration mode saved.");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("an admin resets a password with a one-time link: once used, the person is logged out everywhere and the new password works", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  const carol = await stage.person("carol");
  await alice.page.reload();
  // Carol has no display name: the table shows her username alone (issue 19 §13).
  const row = alice.page.locator("section[aria-labelledby=users-title] tr", { has: alice.page.getByRole("cell", { name: "carol", exact: true }) });
  await row.getByRole("button", { name: "Reset password" }).click();
  await alice.page.getByRole("dialog", { name: "Reset carol's password?" }).getByRole("button", { name: "Reset password" }).click();
  const link = (await alice.page.getByRole("dialog", { name: "Reset link for carol" }).getByTestId("reset-link").textContent())!;
  expect(link).toContain("/reset-password#token=");
  await alice.page.getByRole("button", { name: "Done" }).click();

  // Nothing changes until the link is used: carol is still in.
  await carol.page.reload();
  await carol.page.locator(".user-menu").waitFor();
  const helper = await stage.visitor();
  await helper.page.goto(link.startsWith("http") ? link : `${stage.url}${link}`);
  await helper.page.getByLabel("New password").fill(`${PASSWORD} 2`);
  await helper.page.getByRole("button", { name: "Set the new password" }).click();
  await carol.page.waitForURL(/\/login\?ended=/);
  // The new password is the one that works now.
  const again = await stage.visitor();
  await logInOnPage(again.page, stage.url, "carol", `${PASSWORD} 2`);
  expect(stage.problems()).toEqual([]);
}, STEP);
