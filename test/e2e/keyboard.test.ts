// The chat with the keyboard only, in real Chromium against the compiled binary: Ctrl+K jumps to a
// conversation, Esc closes the dialog, and the first focusable element skips to the message field.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, eventually, expectText } from "./web-helpers.ts";

const current = stagePerTest();

test("Ctrl+K jumps to a conversation, Esc closes the dialog, and a skip link leads to the message field", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.room(alice, "random", [], "public");
  await stage.room(alice, "design");
  await alice.page.keyboard.press("Control+k");
  const input = alice.page.getByRole("combobox", { name: "Room or person" });
  await input.fill("rand");
  await input.press("Enter");
  await expectText(alice.page.locator(".conversation-name"), "random");
  await alice.page.keyboard.press("Control+k");
  await input.waitFor();
  await alice.page.keyboard.press("Escape");
  await input.waitFor({ state: "detached" });

  // The first focusable element of the page skips straight to the message field.
  const firstFocusable = await alice.page.evaluate(() => document.querySelector("a[href], button, textarea, input, select")?.textContent);
  expect(firstFocusable).toBe("Skip to the message field");
  await alice.page.getByRole("link", { name: "Skip to the message field" }).focus();
  await alice.page.keyboard.press("Enter");
  expect(await alice.page.evaluate(() => document.activeElement?.className)).toBe("composer-input");
  await alice.page.keyboard.type("Typed with the keyboard only");
  await alice.page.keyboard.press("Enter");
  await expectText(bodies(alice.page).last(), "Typed with the keyboard only");
  expect(stage.problems()).toEqual([]);
}, 60_000);

test("the message list is one tab stop: arrows move between messages, Tab reaches a message's actions, Esc comes back", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const room = await stage.room(alice, "long talk", [], "public");
  for (let i = 1; i <= 30; i++) await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: `message ${i}` });
  await expectText(bodies(alice.page).last(), "message 30");
  const page = alice.page;
  const focused = () => page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return { tag: element?.tagName.toLowerCase(), label: element?.getAttribute("aria-label") ?? "", cls: element?.className ?? "" };
  });

  // From the list to the composer is a few Tab presses, whatever the length of the conversation.
  await page.getByTestId("messages").focus();
  let presses = 0;
  while ((await focused()).cls !== "composer-input" && presses < 20) {
    await page.keyboard.press("Tab");
    presses++;
  }
  expect((await focused()).cls).toBe("composer-input");
  expect(presses).toBeLessThanOrEqual(4);

  // Arrow keys walk the messages; Home goes to the first loaded.
  await page.getByTestId("messages").focus();
  await page.keyboard.press("ArrowUp");
  expect(await focused()).toMatchObject({ tag: "article", label: expect.stringContaining("alice") });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("message 30");
  await page.keyboard.press("ArrowUp");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("message 29");
  await page.keyboard.press("ArrowDown");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("message 30");

  // Tab from a message goes through its own actions: react with the keyboard.
  await page.keyboard.press("Tab");
  const first = await focused();
  expect(first.tag).toBe("button");
  expect(first.label).toMatch(/^React with /);
  await page.keyboard.press("Enter");
  await page.locator("article.message", { hasText: "message 30" }).locator(".reaction").first().waitFor();
  // Esc from an action returns to its message; the other messages' buttons are out of the tab order.
  await page.keyboard.press("Escape");
  expect((await focused()).tag).toBe("article");
  const tabbableInOthers = await page.evaluate(
    () => [...document.querySelectorAll("[data-testid=messages] article.message:not(:focus) button")].filter((b) => (b as HTMLElement).tabIndex >= 0).length,
  );
  expect(tabbableInOthers).toBe(0);
  // A message arriving now is tamed as it comes (only what was added is looked at, so this is the path).
  await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "message 31" });
  await expectText(bodies(page).last(), "message 31");
  const tabbableInNew = await page.evaluate(
    () => [...document.querySelectorAll("[data-testid=messages] article.message:last-of-type button")].filter((b) => (b as HTMLElement).tabIndex >= 0).length,
  );
  expect(tabbableInNew).toBe(0);

  // Shift+Tab from a message leaves the list (no second stop on its frame); Tab comes back to that
  // message, and meanwhile its actions are out of the tab order as well.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("message 30");
  await page.keyboard.press("Shift+Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("[data-testid=messages]") === null)).toBe(true);
  expect(await page.evaluate(() => document.querySelectorAll("[data-testid=messages] button:not([tabindex='-1'])").length)).toBe(0);
  await page.keyboard.press("Tab");
  expect(await focused()).toMatchObject({ tag: "article" });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("message 30");
  expect(stage.problems()).toEqual([]);
}, 90_000);

test("reacting with the keyboard from the second quick reaction keeps the focus on that reaction, moved first", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const room = await stage.room(alice, "quick", [], "public");
  await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "react to me" });
  const page = alice.page;
  await expectText(bodies(page).last(), "react to me");
  await page.getByTestId("messages").focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const label = await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "");
  expect(label).toMatch(/^React with /);
  await page.keyboard.press("Enter");
  await page.locator("article.message", { hasText: "react to me" }).locator(".reaction").first().waitFor();
  const now = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.tagName ?? "");
  expect(await eventually(now, (focused) => focused === label)).toBe(label);
  // It moved first: the recently used reaction leads the row.
  expect(await page.locator("article.message", { hasText: "react to me" }).locator(".quick-reaction").first().getAttribute("aria-label")).toBe(label);
  expect(stage.problems()).toEqual([]);
}, 60_000);
