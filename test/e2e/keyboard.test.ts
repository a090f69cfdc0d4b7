// The chat with the keyboard only, in real Chromium against the compiled binary: Ctrl+K jumps to a
// conversation, Esc closes the dialog, and the first focusable element skips to the message field.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, expectText } from "./web-helpers.ts";

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
