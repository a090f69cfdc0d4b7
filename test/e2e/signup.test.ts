// The first minutes on a new server, in real Chromium against the compiled binary: a visitor
// registers and lands in a chat that says what to do next, and people who share no room yet see
// each other come online. Each test starts its own server (test/e2e/stage.ts).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { eventually, expectText, registerOnPage } from "./web-helpers.ts";

const current = stagePerTest();
/** Browser steps wait on real events; a step that has not happened by then has failed. */
const STEP = 60_000;

test("a first visitor registers and lands in the chat, which says what to do first", async () => {
  const stage = current();
  const visitor = await stage.visitor();
  // Before anyone has an account, the form says the first one will run the server (and asks no invite).
  await visitor.page.goto(`${stage.url}/register`);
  await visitor.page.getByText("Nobody has an account here yet: this first account will be the server’s administrator.").waitFor();
  expect(await visitor.page.getByLabel("Invite link or code").count()).toBe(0);
  await registerOnPage(visitor.page, stage.url, "alice", { displayName: "Alice Martin" });
  await expectText(visitor.page.locator(".user-menu-name"), "Alice Martin");
  // No room yet: the sidebar and the conversation area say what to do instead of staying blank.
  await expectText(visitor.page.locator("#sidebar .sidebar-empty").first(), "You have not joined a room yet.");
  await expectText(visitor.page.locator(".welcome h1"), "Welcome to VaultRoom");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("two people who share no room see each other in the online list, live", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  // Alone, Alice reads that nobody else is online, not "Online now 0".
  const section = alice.page.locator("section[aria-labelledby=sidebar-online]");
  await expectText(section.locator(".sidebar-empty"), "Nobody else is online.");
  expect(await section.locator(".sidebar-heading").evaluate((heading) => heading.textContent)).toBe("Online now");
  const bob = await stage.person("bob");
  // They share no room: only the live server-wide presence.changed can bring the other in within
  // this wait (the sidebar's fallback poll runs once a minute).
  await bob.page.getByTestId("online-list").getByRole("button", { name: /Alice Martin/ }).waitFor({ timeout: 15_000 });
  await alice.page.getByTestId("online-list").getByRole("button", { name: /bob/ }).waitFor({ timeout: 15_000 });
  const heading = () => section.locator(".sidebar-heading").evaluate((element) => element.textContent);
  expect(await eventually(heading, (text) => text === "Online now11 person online")).toBe("Online now11 person online");
  expect(stage.problems()).toEqual([]);
}, STEP);
