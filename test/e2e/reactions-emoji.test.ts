// Reactions and emoji in real Chromium against the compiled binary, two people: a reaction shows
// live with its count and who reacted, toggles off, comes from the quick bar or the picker (searched
// and used with the keyboard), and `:shortcode:` completes in the composer. The picker passes axe
// (WCAG 2.2 AA and best practice).
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { bodies, eventually, expectNoAxeViolations, expectText, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

test("reactions show live with counts and names, and toggle off", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await send(alice.page, "The new logo is ready");
  await expectText(bodies(bob.page).last(), "The new logo is ready");

  // Bob reacts from the quick bar; Alice sees it live, with his name.
  const bobMessage = bob.page.locator("[data-testid=messages] .message").filter({ hasText: "The new logo is ready" });
  await bobMessage.hover();
  await bobMessage.getByRole("button", { name: "React with 👍" }).click();
  const aliceMessage = alice.page.locator("[data-testid=messages] .message").filter({ hasText: "The new logo is ready" });
  const thumbs = aliceMessage.locator(".reactions .reaction", { hasText: "👍" });
  await expectText(thumbs.locator(".reaction-count"), "1");
  expect(await thumbs.getAttribute("title")).toBe("bob");
  expect(await thumbs.getAttribute("aria-pressed")).toBe("false");

  // Alice adds hers by clicking the same reaction: two, both named, hers pressed.
  await thumbs.click();
  await expectText(thumbs.locator(".reaction-count"), "2");
  expect(await thumbs.getAttribute("aria-pressed")).toBe("true");
  expect(await thumbs.getAttribute("title")).toBe("bob, you");
  const bobThumbs = bobMessage.locator(".reactions .reaction", { hasText: "👍" });
  await expectText(bobThumbs.locator(".reaction-count"), "2");
  expect(await eventually(() => bobThumbs.getAttribute("title"), (title) => title === "you, Alice Martin")).toBe("you, Alice Martin");

  // Bob takes his back.
  await bobThumbs.click();
  await expectText(thumbs.locator(".reaction-count"), "1");
  expect(await thumbs.getAttribute("title")).toBe("you");
  // After a reload the reactions are still there, mine still marked.
  await alice.page.reload();
  await expectText(aliceMessage.locator(".reactions .reaction", { hasText: "👍" }).locator(".reaction-count"), "1");
  expect(await aliceMessage.locator(".reactions .reaction", { hasText: "👍" }).getAttribute("aria-pressed")).toBe("true");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the emoji picker is searched and used with the keyboard, and :shortcode: completes in the composer", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "random", [bob]);

  // The picker from the composer: search by keyword, arrow into the grid, Enter inserts.
  await alice.page.getByRole("button", { name: "Insert an emoji" }).click();
  const picker = alice.page.getByRole("dialog", { name: "Insert an emoji" });
  const search = picker.getByRole("searchbox", { name: "Search emoji" });
  await search.waitFor();
  await expectNoAxeViolations(alice.page, ".emoji-picker", "emoji picker");
  await screenshot(alice.page, "emoji-picker");
  await search.fill("pizza");
  await picker.getByRole("button", { name: "pizza" }).waitFor();
  await search.press("ArrowDown");
  await alice.page.keyboard.press("Enter");
  const composer = alice.page.getByRole("textbox", { name: "Message random" });
  expect(await composer.inputValue()).toBe("🍕");
  // Categories: the flags, browsed with arrows.
  await alice.page.getByRole("button", { name: "Insert an emoji" }).click();
  await picker.getByRole("tab", { name: "Flags" }).click();
  await picker.getByRole("button", { name: "flag: France" }).focus();
  await alice.page.keyboard.press("ArrowRight");
  await alice.page.keyboard.press("Escape");
  await expect(picker.count()).resolves.toBe(0);

  // The categories are one tab stop (issue 19): Tab from the search lands on the shown one, arrows
  // move along them and show each at once, and the next Tab is in the grid.
  await alice.page.getByRole("button", { name: "Insert an emoji" }).click();
  await search.waitFor();
  await search.press("Tab");
  const tab = picker.getByRole("tab", { selected: true });
  expect(await tab.evaluate((el) => el === document.activeElement)).toBe(true);
  const first = await tab.getAttribute("aria-label");
  await alice.page.keyboard.press("ArrowRight");
  const second = picker.getByRole("tab", { selected: true });
  expect(await second.getAttribute("aria-label")).not.toBe(first);
  expect(await second.evaluate((el) => el === document.activeElement)).toBe(true);
  await expectText(picker.getByRole("tabpanel"), /./);
  expect(await picker.getByRole("tabpanel").getAttribute("aria-label")).toBe(await second.getAttribute("aria-label"));
  await alice.page.keyboard.press("End");
  expect(await picker.getByRole("tab", { selected: true }).getAttribute("aria-label")).toBe("Flags");
  await alice.page.keyboard.press("Tab");
  expect(await alice.page.evaluate(() => document.activeElement?.classList.contains("emoji-option"))).toBe(true);
  await expectNoAxeViolations(alice.page, ".emoji-picker", "emoji picker, categories");
  await alice.page.keyboard.press("Escape");

  // :thu offers 👍; Enter takes it.
  await composer.click();
  await composer.press("End");
  await composer.pressSequentially(" lunch? :thu");
  const suggestions = alice.page.getByRole("listbox", { name: "Emoji suggestions" });
  await expectText(suggestions.getByRole("option").first(), /👍.*:thumbsup:|👍.*:\+1:/);
  await composer.press("Enter");
  expect(await composer.inputValue()).toBe("🍕 lunch? 👍 ");
  await composer.press("Enter");
  await expectText(bodies(bob.page).last(), "🍕 lunch? 👍");

  // Reacting through the picker: search, pick, and the reaction is there for Bob.
  const message = alice.page.locator("[data-testid=messages] .message").last();
  await message.hover();
  await message.getByRole("button", { name: "Add a reaction" }).first().click();
  const reactionPicker = alice.page.getByRole("dialog", { name: "Add a reaction" });
  await reactionPicker.getByRole("searchbox", { name: "Search emoji" }).fill("tada");
  await reactionPicker.getByRole("button", { name: "party popper" }).click();
  await expectText(bob.page.locator("[data-testid=messages] .message").last().locator(".reaction", { hasText: "🎉" }).locator(".reaction-count"), "1");
  // The emoji just used now leads the quick bar.
  await message.hover();
  await expectText(message.locator(".quick-reaction").first(), "🎉");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the picker opens where it can be used whole: above a message near the bottom, inside a phone's width", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const phone = await stage.person("bob", { viewport: { width: 375, height: 812 }, touch: true });
  const room = await stage.room(alice, "design", [phone], "public");
  for (let i = 1; i <= 12; i++) await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: `line ${i}` });
  const page = alice.page;
  const last = page.locator("article.message", { hasText: "line 12" });
  await last.hover();
  await last.getByRole("button", { name: "Add a reaction" }).click();
  const picker = page.getByRole("dialog", { name: "Add a reaction" });
  await picker.locator(".emoji-option").first().waitFor();
  const list = (await page.getByTestId("messages").boundingBox())!;
  const box = await eventually(async () => (await picker.boundingBox())!, (b) => b.y + b.height <= list.y + list.height);
  expect(box.y).toBeGreaterThanOrEqual(list.y);
  expect(box.y + box.height).toBeLessThanOrEqual(list.y + list.height);
  await page.keyboard.press("Escape");

  await phone.page.goto(`${stage.url}/chat/${room.id}`);
  const message = phone.page.locator("article.message", { hasText: "line 6" });
  await message.locator(".message-body").tap();
  await message.getByRole("button", { name: "Add a reaction" }).tap();
  const small = phone.page.getByRole("dialog", { name: "Add a reaction" });
  await small.locator(".emoji-option").first().waitFor();
  const inside = await eventually(async () => (await small.boundingBox())!, (b) => b.x >= 0 && b.x + b.width <= 375);
  expect(inside.x).toBeGreaterThanOrEqual(0);
  expect(inside.x + inside.width).toBeLessThanOrEqual(375);
  expect(await phone.page.getByTestId("messages").evaluate((el) => el.scrollLeft)).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);
