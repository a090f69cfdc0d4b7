// The chat on a phone, in real Chromium against the compiled binary: at 375×812 the room list is a
// drawer, and at 375 and 360 px wide no page scrolls sideways.
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectHidden, expectText, overflowX, send } from "./web-helpers.ts";

const current = stagePerTest();

test("the chat works on a 375×812 phone: drawer sidebar, nothing overflowing, and at 360 px too", async () => {
  const stage = current();
  // The server's first account: an admin, so the server tab of the dashboard is measured too.
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 } });
  await stage.room(alice, "random", [], "public");
  const design = await stage.room(alice, "design");
  await send(alice.page, "A message, so the conversation is not empty");
  await screenshot(alice.page, "chat-375x812");
  expect(await overflowX(alice.page)).toBe(false);
  await expectHidden(alice.page.locator("#sidebar"));

  await alice.page.getByRole("button", { name: "Open the room list" }).click();
  await alice.page.locator("#sidebar").getByRole("link", { name: /^random/ }).click();
  await expectText(alice.page.locator(".conversation-name"), "random");
  await expectHidden(alice.page.locator("#sidebar"));
  await alice.page.getByRole("button", { name: "Open the room list" }).click();
  await alice.page.locator("#sidebar").evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
  await screenshot(alice.page, "drawer-375x812");
  // The conversation behind the open drawer is inert: no key reaches it, no screen reader lists it.
  expect(await alice.page.locator("main#main").getAttribute("inert")).not.toBeNull();
  expect(await alice.page.evaluate(() => {
    const field = document.querySelector<HTMLTextAreaElement>("main#main textarea")!;
    field.focus();
    return document.activeElement === field;
  })).toBe(false);
  await alice.page.keyboard.press("Escape");
  await expectHidden(alice.page.locator("#sidebar"));
  expect(await alice.page.locator("main#main").getAttribute("inert")).toBeNull();

  await alice.page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/dashboard", "/dashboard?tab=server", `/chat/${design.id}`]) {
    await alice.page.goto(stage.url + path);
    await alice.page.locator("main").first().waitFor();
    await alice.page.waitForLoadState("networkidle");
    expect({ path, overflow: await overflowX(alice.page) }).toEqual({ path, overflow: false });
  }
  await screenshot(alice.page, "dashboard-360");
  expect(stage.problems()).toEqual([]);
}, 60_000);
