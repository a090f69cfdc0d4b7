// The interface in French, in real Chromium against the compiled binary: switched on the dashboard,
// remembered across a reload, applied to the chat, and switched back.
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectText } from "./web-helpers.ts";

const current = stagePerTest();

test("the language switch turns the interface French and is remembered", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard" });
  const design = await stage.room(alice, "design");
  await alice.page.goto(`${stage.url}/dashboard`);
  await alice.page.getByRole("combobox", { name: "Language" }).selectOption("fr");
  await expectText(alice.page.locator("main h1"), "Réglages");
  await alice.page.reload();
  await expectText(alice.page.locator("main h1"), "Réglages");
  expect(await alice.page.evaluate(() => document.documentElement.lang)).toBe("fr");
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  await expectText(alice.page.locator("#sidebar-rooms"), "Salons");
  await screenshot(alice.page, "chat-french");
  await alice.page.goto(`${stage.url}/dashboard`);
  await alice.page.getByRole("combobox", { name: "Langue" }).selectOption("en");
  await expectText(alice.page.locator("main h1"), "Settings");
  expect(stage.problems()).toEqual([]);
}, 60_000);
