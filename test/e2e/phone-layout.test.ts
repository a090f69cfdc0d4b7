// The chat on a phone, in real Chromium against the compiled binary: at 375×812 the room list is a
// drawer, and at 375 and 360 px wide no page scrolls sideways.
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { expectHidden, expectNoAxeViolations, expectText, overflowX, send } from "./web-helpers.ts";

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

test("on a phone a long room name keeps the header; the other actions are in a More menu, by keyboard too", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 } });
  const name = "réunion-du-lundi";
  await stage.room(alice, name);
  const page = alice.page;
  const title = page.locator(".conversation-name");
  await expectText(title, name);
  // The whole name is shown, not cut to "réuni…" beside a row of icons (it was, at 88 px).
  expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expectHidden(page.getByRole("button", { name: "Pinned messages" }));
  expect(await overflowX(page)).toBe(false);

  const more = page.getByRole("button", { name: "More actions for this conversation" });
  expect(await more.getAttribute("aria-expanded")).toBe("false");
  await more.click();
  const menu = page.getByRole("menu", { name: "More actions for this conversation" });
  const items = await menu.getByRole("menuitem").allTextContents();
  expect(items).toEqual(["Search this conversation", "Notifications for this conversation", "Pinned messages", "Add people", "1 member", "Room settings"]);
  expect(await more.getAttribute("aria-expanded")).toBe("true");
  // The menu fits on the screen.
  const box = (await menu.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  await screenshot(page, "header-menu-375x812");
  await expectNoAxeViolations(page, ".conversation-header", "the header's More menu, open");
  // Keyboard: the first item has the focus; arrows move, wrapping; Escape closes and gives it back.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Search this conversation");
  await page.keyboard.press("ArrowUp");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Room settings");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Notifications for this conversation");
  await page.keyboard.press("Escape");
  await expectHidden(menu);
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("More actions for this conversation");
  // An item does what its button does on a wider screen; closing the dialog returns to the menu button.
  await page.keyboard.press("Enter");
  await menu.getByRole("menuitem", { name: "Pinned messages" }).click();
  const pins = page.getByRole("dialog", { name: "Pinned messages" });
  await pins.waitFor();
  await page.keyboard.press("Escape");
  await expectHidden(pins);
  expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("More actions for this conversation");
  // A tap elsewhere closes it.
  await more.click();
  await menu.waitFor();
  await page.locator(".messages-scroll").click({ position: { x: 20, y: 200 } });
  await expectHidden(menu);
  // On a wide screen the buttons are back and the menu button is not offered.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Pinned messages" }).waitFor();
  await expectHidden(more);
  expect(stage.problems()).toEqual([]);
}, 60_000);

test("on a phone, an empty message field is one line high whatever the room's name", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 }, touch: true });
  await stage.room(alice, "Quarterly planning for the whole product team");
  const field = alice.page.locator("#composer textarea");
  await field.waitFor();
  const empty = (await field.boundingBox())!.height;
  expect(empty).toBeLessThan(45);
  // Typed text still grows the field, line by line.
  await field.fill("one\ntwo\nthree");
  expect((await field.boundingBox())!.height).toBeGreaterThan(empty * 2);
  await field.fill("");
  expect((await field.boundingBox())!.height).toBeLessThan(45);
  expect(await overflowX(alice.page)).toBe(false);
  expect(stage.problems()).toEqual([]);
}, 60_000);
