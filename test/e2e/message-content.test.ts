// What a message shows and what its author can do with it, in real Chromium against the compiled
// binary: hostile markup stays text and runs nothing, markdown renders, and the author edits and
// deletes while the other side follows. Each test starts its own server and people (stage.ts).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, expectText, send, openMessageMenu } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

test("stored XSS in a message and in a display name renders as text and runs nothing", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  // A DM too: Alice's sidebar names it after Bob.
  await stage.call(alice, "POST", "/api/dms", { userIds: [bob.id] });
  const payload = `<img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=2"></svg>`;
  const nameload = `<img src=x onerror=window.__pwned=7>`;
  // Bob's display name becomes a payload, set through the dashboard.
  const room = bob.page.url();
  await bob.page.goto(`${stage.url}/dashboard`);
  await bob.page.getByLabel("Display name", { exact: true }).fill(nameload);
  await bob.page.getByRole("button", { name: "Save" }).click();
  await expectText(bob.page.locator(".toast"), "Profile saved.");
  await bob.page.goto(room);
  await bob.page.locator("textarea.composer-input").waitFor();

  const hostile = [
    payload,
    "[click me](javascript:window.__pwned=3)",
    "[data](data:text/html,<script>window.__pwned=4</script>)",
    "&lt;img src=x onerror=window.__pwned=5&gt;",
    "<script>window.__pwned=6</script>",
  ];
  for (const text of hostile) await send(bob.page, text);
  await expectText(bodies(alice.page).last(), "<script>window.__pwned=6</script>");

  for (const person of [alice, bob]) {
    const list = person.page.getByTestId("messages");
    expect(await list.locator(".message-body img, .message-body svg, .message-body script, .message-body a").count()).toBe(0);
    expect(await person.page.locator("a[href^='javascript:'], a[href^='data:']").count()).toBe(0);
    expect(await person.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const texts = await list.locator(".message-body").allTextContents();
    expect(texts.slice(-5)).toEqual([payload, "click me", "data", "&lt;img src=x onerror=window.__pwned=5&gt;", "<script>window.__pwned=6</script>"]);
  }
  // The display name shows as typed, as the author of those messages and in Alice's sidebar.
  await expectText(alice.page.locator(".message-author").last(), nameload);
  await expectText(alice.page.locator("#sidebar .sidebar-item-name", { hasText: "<img" }).first(), nameload);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("markdown renders bold, italic, code, code blocks, lists and safe links", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.room(alice, "notes");
  await send(alice.page, "**b** *i* `c` https://example.org/x\n```\nblock\n```\n- one\n- two");
  const last = alice.page.locator("[data-testid=messages] .message-body").last();
  await expectText(last.locator("strong"), "b");
  await expectText(last.locator("em"), "i");
  await expectText(last.locator("p code"), "c");
  await expectText(last.locator("pre code"), "block");
  expect(await last.locator("li").allTextContents()).toEqual(["one", "two"]);
  const link = last.locator("a");
  expect(await link.getAttribute("href")).toBe("https://example.org/x");
  expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
  expect(await link.getAttribute("target")).toBe("_blank");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("I can edit and, after confirming, delete my own message; the other side sees both", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await send(alice.page, "Typo hre");
  const mine = alice.page.locator("article.message", { hasText: "Typo hre" });
  await mine.hover();
  await mine.getByRole("button", { name: "Edit message" }).click();
  const editor = alice.page.getByLabel("Edit your message");
  await editor.fill("Typo here");
  await editor.press("Enter");
  // "(edited)" follows the text inline (issue 19 §16).
  await expectText(bodies(bob.page).last(), "Typo here (edited)");
  await expectText(bob.page.locator("article.message").last().locator(".message-edited"), "(edited)");

  // On someone else's message Bob (not an admin) may copy the text, but neither edit nor delete it.
  const theirs = bob.page.locator("article.message", { hasText: "Typo here" });
  const theirMenu = await openMessageMenu(theirs);
  await theirMenu.getByRole("menuitem", { name: "Copy text" }).waitFor();
  expect(await theirs.getByRole("button", { name: "Edit message" }).count()).toBe(0);
  expect(await theirMenu.getByRole("menuitem", { name: "Delete message" }).count()).toBe(0);
  await bob.page.keyboard.press("Escape");

  const edited = alice.page.locator("article.message", { hasText: "Typo here" });
  await (await openMessageMenu(edited)).getByRole("menuitem", { name: "Delete message" }).click();
  const confirm = alice.page.getByRole("dialog", { name: "Delete this message?" });
  await confirm.getByRole("button", { name: "Delete message" }).click();
  await bob.page.locator("article.message", { hasText: "Typo here" }).waitFor({ state: "detached" });
  await alice.page.locator("article.message", { hasText: "Typo here" }).waitFor({ state: "detached" });
  expect(stage.problems()).toEqual([]);
}, STEP);
