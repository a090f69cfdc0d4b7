// Where the focus goes after an action removes or replaces what had it, in real Chromium against the
// compiled binary (issue 19 §5, found again by the walk-through of 1 Dec): never to <body>, where a
// keyboard or screen-reader user would start again from the top of the page. Also the layouts that
// walk-through found squeezed: the header beside an open thread, French buttons on a phone.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { stagePerTest } from "./stage.ts";
import { bodies, callApi, eventually, expectHidden, expectText, onScreen, overflowX, send, openMessageMenu } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

/** What has the focus: its accessible name or text, and its tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? null, name: el?.getAttribute("aria-label") ?? el?.textContent?.trim().slice(0, 60) ?? null };
  });

test("creating an invite link, in the dashboard and in a room, leaves the focus on its Copy button", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const page = alice.page;
  await page.goto(`${stage.url}/dashboard?tab=server`);
  await page.getByRole("button", { name: "Create invite link" }).click();
  await page.getByTestId("invite-link").waitFor();
  expect(await focused(page)).toEqual({ tag: "button", name: "Copy the invite link" });

  await stage.room(alice, "plans");
  await page.goto(`${stage.url}/chat`);
  await page.locator(".conversation-name", { hasText: "plans" }).waitFor();
  await page.locator(".conversation-header").getByRole("button", { name: "Add people" }).click();
  const dialog = page.getByRole("dialog", { name: /Add people/ });
  await dialog.getByRole("button", { name: "Make an invite link" }).click();
  await dialog.getByTestId("room-invite-link").waitFor();
  expect((await focused(page)).tag).toBe("button");
  // Leaving now keeps the link: the way out says "Done", not "Cancel".
  await dialog.getByRole("button", { name: "Done" }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.closest("dialog") !== null)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("after Disable in the Users table the focus is on that person's Enable button", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.person("carol");
  const page = alice.page;
  await page.goto(`${stage.url}/dashboard?tab=server`);
  const row = page.locator("section[aria-labelledby=users-title] tr", { has: page.getByRole("cell", { name: "carol", exact: true }) });
  await row.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
  await row.getByRole("button", { name: "Enable" }).waitFor();
  await expectHidden(page.getByRole("dialog"));
  expect(await focused(page)).toEqual({ tag: "button", name: "Enable carol" });
  expect(await row.getByRole("button", { name: "Enable" }).evaluate((el) => el === document.activeElement)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("deleting a message with the mouse, and closing a thread, leave the focus in the conversation", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const page = alice.page;
  await stage.room(alice, "design");
  await send(page, "Shall we ship on Friday?");
  await send(page, "A typo to delete");
  const typo = page.locator("[data-testid=messages] .message").filter({ hasText: "A typo to delete" });
  await (await openMessageMenu(typo)).getByRole("menuitem", { name: "Delete message" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete message" }).click();
  await expectHidden(page.getByRole("dialog"));
  await expectHidden(bodies(page).filter({ hasText: "A typo to delete" }));
  expect((await focused(page)).tag).not.toBe("body");
  expect(await page.evaluate(() => document.activeElement?.closest("main") !== null)).toBe(true);

  const root = page.locator("[data-testid=messages] .message").filter({ hasText: "Shall we ship on Friday?" });
  await root.hover();
  await root.getByRole("button", { name: "Reply in a thread" }).click();
  const panel = page.getByTestId("thread-panel");
  await panel.getByRole("textbox", { name: "Reply in the thread" }).fill("Friday works");
  await panel.getByRole("textbox", { name: "Reply in the thread" }).press("Enter");
  await expectText(panel.locator(".thread-replies .message-body").last(), "Friday works");
  await page.keyboard.press("Escape");
  await expectHidden(panel);
  // Back on the thread's root in the room, from where the thread was opened.
  expect(await root.evaluate((el) => el === document.activeElement)).toBe(true);

  // The same with the panel's Close button.
  await root.hover();
  await root.getByRole("button", { name: /Reply in a thread|1 reply/ }).first().click();
  await panel.getByRole("button", { name: "Close the thread" }).click();
  await expectHidden(panel);
  expect(await root.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("files picked with the paperclip leave the focus in the message field, for their caption", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const page = alice.page;
  await stage.room(alice, "files");
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach files" }).click();
  await (await chooser).setFiles([
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("meeting notes") },
    { name: "plan.txt", mimeType: "text/plain", buffer: Buffer.from("the plan") },
  ]);
  await page.locator(".upload-tray").getByText("plan.txt").waitFor();
  expect((await focused(page)).tag).toBe("textarea");
  await page.keyboard.type("Both files for Monday");
  await page.keyboard.press("Enter");
  await expectText(bodies(page).last(), "Both files for Monday");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("with a thread open beside it, the room's name keeps the header and the actions move to More", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 1280, height: 800 } });
  const page = alice.page;
  await stage.room(alice, "Budget review");
  await send(page, "Numbers are in");
  const title = page.locator(".conversation-name");
  const root = page.locator("[data-testid=messages] .message").filter({ hasText: "Numbers are in" });
  await root.hover();
  await root.getByRole("button", { name: "Reply in a thread" }).click();
  await page.getByTestId("thread-panel").waitFor();
  await page.getByRole("button", { name: "More actions for this conversation" }).waitFor();
  // The whole name shows (it was "B…", squeezed by the search field and six buttons).
  expect(await title.evaluate((el) => el.scrollWidth <= el.clientWidth && el.clientWidth > 80)).toBe(true);
  await page.getByRole("button", { name: "More actions for this conversation" }).click();
  await page.getByRole("menuitem", { name: "Pinned messages" }).waitFor();
  await page.keyboard.press("Escape");
  // Closed, the header has room for the buttons again.
  await page.getByTestId("thread-panel").getByRole("button", { name: "Close the thread" }).click();
  await page.getByRole("button", { name: "Pinned messages" }).waitFor();
  await expectHidden(page.getByRole("button", { name: "More actions for this conversation" }));
  expect(stage.problems()).toEqual([]);
}, STEP);

test("in French on a 375 px phone, the settings' long button labels wrap instead of widening the page", async () => {
  const stage = current();
  const elodie = await stage.person("elodie", { viewport: { width: 375, height: 812 }, touch: true, locale: "fr-FR" });
  const page = elodie.page;
  for (const path of ["/dashboard", "/dashboard?tab=server"]) {
    await page.goto(stage.url + path);
    await page.locator("main").first().waitFor();
    await page.waitForLoadState("networkidle");
    expect({ path, overflow: await overflowX(page) }).toEqual({ path, overflow: false });
  }
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a room opened at its first unread message, with screens of newer ones below, offers a way to the latest", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "planning", [bob]);
  await bob.page.goto(`${stage.url}/dashboard`);
  for (let i = 1; i <= 45; i++) {
    const body = { clientId: crypto.randomUUID(), body: `Planning item ${i}` };
    // Alice's posting rate is limited like anyone's: wait and send the same message again.
    for (;;) {
      const sent = await callApi(stage.url, alice.cookie, "POST", `/api/rooms/${room.id}/messages`, JSON.stringify(body)).then(
        () => true,
        (error: Error) => (error.message.includes(" 429 ") ? false : Promise.reject(error)),
      );
      if (sent) break;
      await Bun.sleep(500);
    }
  }
  await bob.page.goto(`${stage.url}/chat/${room.id}`);
  await bob.page.locator("[data-testid=unread-divider]").waitFor();
  const jump = bob.page.getByRole("button", { name: "Jump to the latest messages" });
  await jump.waitFor();
  const newest = bodies(bob.page).filter({ hasText: "Planning item 45" });
  expect(await onScreen(newest)).toBe(false);
  await jump.click();
  await expectHidden(jump);
  expect(await onScreen(newest)).toBe(true);
  expect(await bob.page.locator(".messages-scroll").evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(40);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a button replaced by what it did keeps the keyboard nearby: Do not disturb on and off, a room muted", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.room(alice, "design");
  const page = alice.page;
  const inside = (selector: string) => page.evaluate((s) => document.activeElement !== document.body && document.activeElement?.closest(s) !== null, selector);

  // The room's bell: "For 1 hour" becomes "Unmute"; the focus stays in the dialog.
  await page.locator(".conversation-header").getByRole("button", { name: "Notifications for this conversation" }).click();
  const bell = page.getByRole("dialog");
  await bell.getByRole("button", { name: "For 1 hour" }).focus();
  await page.keyboard.press("Enter");
  await bell.getByRole("button", { name: /Unmute/ }).waitFor();
  expect(await eventually(() => inside("dialog"), (yes) => yes)).toBe(true);
  await page.keyboard.press("Escape");

  // Do not disturb, from the keyboard, on and then off.
  await page.goto(`${stage.url}/dashboard`);
  const dnd = page.locator("#notifications fieldset", { hasText: "Do not disturb" });
  await dnd.getByRole("button", { name: "For 1 hour" }).focus();
  await page.keyboard.press("Enter");
  await dnd.getByRole("button", { name: "Turn off do not disturb" }).waitFor();
  expect(await eventually(() => inside("#notifications"), (yes) => yes)).toBe(true);
  await dnd.getByRole("button", { name: "Turn off do not disturb" }).focus();
  await page.keyboard.press("Enter");
  await dnd.getByRole("button", { name: "For 1 hour" }).waitFor();
  expect(await eventually(() => inside("#notifications"), (yes) => yes)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, 60_000);
