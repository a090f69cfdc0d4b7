// axe-core over every page, in real Chromium against the compiled binary: no serious or critical
// WCAG 2.1 A/AA violation for a visitor, in the chat, in dialogs and on the dashboard, in the light
// and the dark theme (following the system). Each test starts its own server (stage.ts).
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectAccessible, overflowX, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

test("a visitor's pages pass axe, fit 360 px, and a logged-in page sends the visitor to log in", async () => {
  const stage = current();
  const visitor = await stage.visitor();
  // A stranger asking for a logged-in page is sent to log in, with the way back kept.
  await visitor.page.goto(`${stage.url}/dashboard`);
  await visitor.page.waitForURL(/\/login\?next=%2Fdashboard$/);
  for (const path of ["/", "/login", "/register"]) {
    await visitor.page.setViewportSize({ width: 1280, height: 800 });
    await visitor.page.goto(stage.url + path);
    await visitor.page.locator("main h1").waitFor();
    await expectAccessible(visitor.page, path);
    await visitor.page.setViewportSize({ width: 360, height: 740 });
    expect({ path, overflow: await overflowX(visitor.page) }).toEqual({ path, overflow: false });
  }
  await screenshot(visitor.page, "register-360");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the chat, the room directory and the dashboard pass axe", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.room(alice, "random", [], "public");
  await stage.room(alice, "design");
  await send(alice.page, "**Hello** `world`");
  await expectAccessible(alice.page, "chat");
  await screenshot(alice.page, "chat-desktop");
  await alice.page.getByRole("button", { name: "Browse rooms" }).first().click();
  await alice.page.getByRole("dialog", { name: "Browse rooms" }).getByRole("button", { name: /random/ }).waitFor();
  await expectAccessible(alice.page, "browse rooms dialog");
  await alice.page.keyboard.press("Escape");
  for (const path of ["/dashboard", "/dashboard?tab=server"]) {
    await alice.page.goto(stage.url + path);
    await alice.page.locator(".card h2").first().waitFor();
    await alice.page.waitForLoadState("networkidle");
    await expectAccessible(alice.page, path);
  }
  await screenshot(alice.page, "dashboard-server");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the dark theme reads as well as the light one", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const design = await stage.room(alice, "design");
  await send(alice.page, "**Hello** `world`");
  await alice.page.emulateMedia({ colorScheme: "dark" });
  await alice.page.goto(`${stage.url}/dashboard?tab=server`);
  await alice.page.locator(".card h2").first().waitFor();
  await alice.page.waitForLoadState("networkidle");
  await expectAccessible(alice.page, "dark /dashboard?tab=server");
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  await alice.page.locator(".message-body").last().waitFor();
  await expectAccessible(alice.page, "dark chat");
  await screenshot(alice.page, "chat-dark");
  const visitor = await stage.visitor();
  await visitor.page.emulateMedia({ colorScheme: "dark" });
  await visitor.page.goto(`${stage.url}/login`);
  await visitor.page.locator("main h1").waitFor();
  await expectAccessible(visitor.page, "dark /login");
  expect(stage.problems()).toEqual([]);
}, STEP);
