// The first administrator's welcome and an invite link into #general, end to end in Chromium
// against the compiled binary (issue 19 items 6 and 7).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { eventually, expectText, PASSWORD } from "./web-helpers.ts";

const current = stagePerTest();

test("the first admin sets the server up once; a colleague follows the link into #general", async () => {
  const stage = current();
  const root = await stage.person("root", { firstRun: true });
  const setup = root.page.getByRole("dialog", { name: "Welcome to your new server" });
  await setup.waitFor();
  // Invite-only is the default, and said to be the recommended choice.
  expect(await setup.getByRole("radio", { name: /Only people with an invite link \(recommended\)/ }).isChecked()).toBe(true);
  expect(await setup.getByRole("checkbox", { name: /Create #general/ }).isChecked()).toBe(true);
  // The first thing to do is the first field: focus starts there, not on the close button.
  expect(await eventually(() => root.page.evaluate(() => document.activeElement?.id), (id) => id === "setup-name")).toBe("setup-name");
  await setup.getByLabel("Server name").fill("Acme chat");
  await setup.getByRole("button", { name: "Finish setup" }).click();
  // A link ready to copy, with its uses and expiry.
  const link = await setup.getByTestId("setup-invite-link").inputValue();
  expect(link).toContain("/register#invite=");
  expect(await setup.getByText(/Works 10 times, until/).textContent()).toMatch(/^Works 10 times, until .+\.$/);
  await setup.getByRole("button", { name: "Done" }).click();
  await setup.waitFor({ state: "detached" });
  await expectText(root.page.locator(".conversation-name"), "general");
  expect(await root.page.title()).toContain("Acme chat");
  // Never shown again.
  await root.page.reload();
  await root.page.locator(".user-menu").waitFor();
  await root.page.locator(".conversation-name").waitFor();
  expect(await root.page.getByRole("dialog", { name: "Welcome to your new server" }).count()).toBe(0);

  // The colleague's landing page says who invites them, to which server and room, and not "invitation-only".
  const visitor = await stage.visitor();
  await visitor.page.goto(link);
  await expectText(visitor.page.getByTestId("invite-landing"), "root invited you to Acme chat. You will join #general.");
  expect(await visitor.page.getByText("This server is invitation-only").count()).toBe(0);
  await expectText(visitor.page.getByTestId("server-name"), "Acme chat");
  await visitor.page.getByLabel("Username").fill("colleague");
  await visitor.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await visitor.page.waitForURL(/\/chat/);
  await visitor.page.locator("#sidebar").getByRole("link", { name: /general/ }).waitFor();
  expect(stage.problems()).toEqual([]);
}, 120_000);

test("skipping the setup keeps the server invite-only and does not ask again", async () => {
  const stage = current();
  const root = await stage.person("root", { firstRun: true });
  const setup = root.page.getByRole("dialog", { name: "Welcome to your new server" });
  await setup.getByRole("button", { name: "Skip (stay invite-only)" }).click();
  await setup.waitFor({ state: "detached" });
  const info = await stage.call<{ mode: string }>(null, "GET", "/api/auth/registration");
  expect(info.mode).toBe("invite");
  await root.page.reload();
  await root.page.locator(".user-menu").waitFor();
  expect(await root.page.getByRole("dialog", { name: "Welcome to your new server" }).count()).toBe(0);
  // Nobody else is here yet: the empty chat says where the invite links are made.
  await root.page.getByRole("link", { name: "Invite people to this server" }).click();
  await root.page.getByRole("heading", { name: "Invite links" }).waitFor();
  expect(stage.problems()).toEqual([]);
}, 120_000);

test("Add people in a room makes a link for someone with no account yet, whose new account lands in that room", async () => {
  const stage = current();
  const root = await stage.person("root");
  const room = await stage.room(root, "design", [], "public");
  await root.page.getByRole("button", { name: "Add people" }).first().click();
  const dialog = root.page.getByRole("dialog", { name: "Add people to #design" });
  await dialog.getByRole("button", { name: "Make an invite link" }).click();
  const link = await dialog.getByTestId("room-invite-link").inputValue();
  expect(link).toStartWith(`${stage.url}/register#invite=`);
  await expectText(dialog.getByText(/^For 1 person, until .+\.$/), /^For 1 person, until/);
  await dialog.getByRole("button", { name: "Done" }).click();

  const visitor = await stage.visitor();
  await visitor.page.goto(link);
  await expectText(visitor.page.getByTestId("invite-landing"), /root invited you to .+\. You will join #design\./);
  await visitor.page.getByLabel("Username").fill("newcomer");
  await visitor.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await visitor.page.waitForURL(/\/chat/);
  await visitor.page.locator("#sidebar").getByRole("link", { name: /design/ }).waitFor();
  const members = await stage.call<{ members: { username: string }[] }>(root, "GET", `/api/rooms/${room.id}/members`);
  expect(members.members.map((m) => m.username).sort()).toEqual(["newcomer", "root"]);
  expect(stage.problems()).toEqual([]);
}, 120_000);

test("registration closed: a link made earlier leads to the closed page, and the login page offers no sign-up", async () => {
  const stage = current();
  const root = await stage.person("root");
  const { link } = await stage.call<{ link: string }>(root, "POST", "/api/admin/invites", {});
  await stage.call(root, "PATCH", "/api/admin/settings", { registrationMode: "closed" });
  const visitor = await stage.visitor();
  await visitor.page.goto(new URL(link, stage.url).href);
  await expectText(visitor.page.locator(".form-error"), /^Registration is closed on this server/);
  expect(await visitor.page.getByRole("button", { name: "Create account" }).count()).toBe(0);
  expect(await visitor.page.getByTestId("invite-landing").count()).toBe(0);
  await visitor.page.goto(`${stage.url}/login`);
  await visitor.page.getByRole("button", { name: "Log in", exact: true }).waitFor();
  await eventually(() => visitor.page.getByRole("link", { name: "Create an account" }).count(), (n) => n === 0);
  expect(await visitor.page.getByRole("link", { name: "Create an account" }).count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, 60_000);
