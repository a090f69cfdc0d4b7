// The small habits, in real Chromium against the compiled binary: arrow-up in an empty composer edits
// my last message ("(edited)" then sits after its text), a draft survives a reload (and a room
// switch) but not a logout, `> quote` and `~~strike~~` render, and system lines read in each
// reader's language.
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { bodies, expectHidden, expectText, logInOnPage, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

test("arrow-up in an empty composer edits my last message, shown with (edited) after its text", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await send(alice.page, "> the plan\nShip it ~~today~~ on Fridy");
  const quote = bob.page.locator("[data-testid=messages] .message-body blockquote");
  await expectText(quote, "the plan");
  await expectText(bob.page.locator("[data-testid=messages] .message-body s"), "today");

  const composer = alice.page.getByRole("textbox", { name: "Message design" });
  await composer.focus();
  await composer.press("ArrowUp");
  const editor = alice.page.getByRole("textbox", { name: "Edit your message" });
  expect(await editor.inputValue()).toBe("> the plan\nShip it ~~today~~ on Fridy");
  await editor.fill("> the plan\nShip it ~~today~~ on Friday");
  await editor.press("Enter");
  const edited = bob.page.locator("[data-testid=messages] .message-body").last();
  await expectText(edited.locator("p"), "Ship it today on Friday (edited)");
  // Inline: the marker is inside the last paragraph, right after the text.
  expect(await edited.locator("p .message-edited").count()).toBe(1);
  // Saved or abandoned, an edit begun from the field ends back in the field, where Arrow-up edits again.
  expect(await composer.evaluate((el) => el === document.activeElement)).toBe(true);
  await composer.press("ArrowUp");
  await editor.waitFor();
  await editor.press("Escape");
  await expectHidden(editor);
  expect(await composer.evaluate((el) => el === document.activeElement)).toBe(true);
  await composer.press("ArrowUp");
  await editor.waitFor();
  await editor.press("Escape");
  // Arrow-up with text in the field is a cursor move, not an edit.
  await composer.fill("half typed");
  await composer.press("ArrowUp");
  expect(await alice.page.getByRole("textbox", { name: "Edit your message" }).count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a draft survives a room switch and a reload, and is gone after logging out", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const design = await stage.room(alice, "design");
  const random = await stage.room(alice, "random");
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  const composer = () => alice.page.locator(`#composer-${design.id}`);
  await composer().fill("A thought I have not finished");
  await alice.page.locator("#sidebar").getByRole("link", { name: /^random/ }).click();
  await expectText(alice.page.locator(".conversation-name"), "random");
  expect(await alice.page.locator(`#composer-${random.id}`).inputValue()).toBe("");
  await alice.page.locator("#sidebar").getByRole("link", { name: /^design/ }).click();
  expect(await composer().inputValue()).toBe("A thought I have not finished");

  await alice.page.reload();
  await composer().waitFor();
  expect(await composer().inputValue()).toBe("A thought I have not finished");

  // Logged out: the next person at this computer (in this tab) does not find it.
  await alice.page.getByRole("button", { name: "Log out" }).click();
  await alice.page.waitForURL(/\/login/);
  expect(await alice.page.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith("vaultroom.drafts")))).toEqual([]);
  await logInOnPage(alice.page, stage.url, "alice");
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  await composer().waitFor();
  expect(await composer().inputValue()).toBe("");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("system lines tell who joined, was added, renamed the room and left, in each reader's language", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  const bob = await stage.person("bob", { locale: "fr-FR" });
  const carol = await stage.person("carol");
  // Alice and carol already share a private room: adding carol is not a request (issue 21 §4).
  await stage.room(alice, "pair", [carol]);
  const room = await stage.room(alice, "lobby", [], "public");
  await stage.call(bob, "POST", `/api/rooms/${room.id}/join`);
  await stage.call(alice, "POST", `/api/rooms/${room.id}/members`, { userId: carol.id });
  await stage.call(alice, "PATCH", `/api/rooms/${room.id}`, { name: "the lounge", topic: "Coffee" });
  await stage.call(carol, "POST", `/api/rooms/${room.id}/leave`);

  const lines = (page: typeof alice.page) => page.locator("[data-testid=messages] .system-line-text");
  await expectText(lines(alice.page).last(), "carol left the room.");
  expect(await lines(alice.page).allTextContents()).toEqual([
    "bob joined the room.",
    "Alice Martin added carol.",
    "Alice Martin renamed the room to “the lounge”.",
    "Alice Martin changed the topic to “Coffee”.",
    "carol left the room.",
  ]);
  await bob.page.goto(`${stage.url}/chat/${room.id}`);
  await expectText(lines(bob.page).last(), "carol a quitté le salon.");
  expect(await lines(bob.page).allTextContents()).toEqual([
    "bob a rejoint le salon.",
    "Alice Martin a ajouté carol.",
    // French quotation marks, with the non-breaking spaces French wants inside them.
    "Alice Martin a renommé le salon en «\u00a0the lounge\u00a0».",
    "Alice Martin a changé le sujet en «\u00a0Coffee\u00a0».",
    "carol a quitté le salon.",
  ]);
  await screenshot(bob.page, "system-lines-fr");
  // Not unread: Bob's room shows no badge for them.
  expect(await bob.page.locator("#sidebar .badge").count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);
