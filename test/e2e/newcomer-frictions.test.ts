// Frictions a newcomer met in the first ten minutes (issue 19, items 8, 10, 13, 14, 15, 16), replayed
// in real Chromium against the compiled binary. Each test failed on the code before its fix.
import { expect, test } from "bun:test";
import type { Stage, Member } from "./stage.ts";
import { stagePerTest } from "./stage.ts";
import { eventually, expectText, logInOnPage, PASSWORD } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

async function requestedRooms(stage: Stage, person: Member): Promise<number[]> {
  const { requests } = await stage.call<{ requests: { roomId: number }[] }>(person, "GET", "/api/requests");
  return requests.map((r) => r.roomId);
}

test("item 8: the New room picker takes Enter, adds a typed exact match on Create, and says nothing before a search", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  const carol = await stage.person("carol");
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const dialog = alice.page.getByRole("dialog", { name: "Create a room" });
  await dialog.getByLabel("Name").fill("plans");
  const search = dialog.getByLabel("Invite people (optional)");
  await search.waitFor();
  // Nothing typed yet: no "Nobody found." to puzzle over.
  await Bun.sleep(500);
  expect(await dialog.getByText("Nobody found.").count()).toBe(0);
  // Enter picks the highlighted match and does not submit the form.
  await search.fill("bob");
  await dialog.getByRole("button", { name: /@bob/ }).waitFor();
  await search.press("Enter");
  await expectText(dialog.getByRole("list", { name: "Selected people" }), /Bob Martin/);
  expect(await dialog.isVisible()).toBe(true);
  // The search is emptied for the next name, and an empty search says nothing either.
  expect(await search.inputValue()).toBe("");
  expect(await dialog.getByText("Nobody found.").count()).toBe(0);
  // A name typed exactly but not picked is added when Create is pressed.
  await search.fill("carol");
  await dialog.getByRole("button", { name: "Create room" }).click();
  await dialog.waitFor({ state: "detached" });
  await expectText(alice.page.locator(".conversation-name"), "plans");
  const roomId = Number(new URL(alice.page.url()).pathname.split("/").pop());
  expect(await requestedRooms(stage, bob)).toContain(roomId);
  expect(await requestedRooms(stage, carol)).toContain(roomId);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 8: a display name with an accented capital is found by its first letters, accents typed or not", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  // The username shares nothing with the search: only the display name can match.
  await stage.person("rosa", { displayName: "Élodie Martin" });
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const dialog = alice.page.getByRole("dialog", { name: "Create a room" });
  const search = dialog.getByLabel("Invite people (optional)");
  for (const typed of ["Élo", "élo", "elo"]) {
    await search.fill(typed);
    await dialog.getByRole("button", { name: /Élodie Martin/ }).waitFor();
  }
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 15: on a phone, a message's actions wait for a tap, and the tap that shows them reacts to nothing", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 }, touch: true });
  const room = await stage.room(alice, "taps", [], "public");
  for (const body of ["Bonjour à tous", "Deux"]) {
    await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body });
  }
  const page = alice.page;
  const short = page.locator("article.message", { hasText: "Deux" });
  await short.waitFor();
  // One's own messages carry no row of icons until one asks for it.
  expect(await page.locator("article.message .message-actions").evaluateAll((rows) => rows.filter((row) => row.getBoundingClientRect().height > 0).length)).toBe(0);
  // A tap in the middle of a short message selects it: its actions appear under it, and nothing reacted.
  const box = (await short.locator(".message-body").boundingBox())!;
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await short.locator(".message-actions").getByRole("button").first().waitFor({ state: "visible" });
  await page.waitForTimeout(500);
  const { messages } = await stage.call<{ messages: { body: string; reactions?: unknown[] }[] }>(alice, "GET", `/api/rooms/${room.id}/messages`);
  expect(messages.filter((m) => m.reactions?.length).map((m) => m.body)).toEqual([]);
  expect(await page.locator("article.message", { hasText: "Bonjour à tous" }).locator(".message-actions").isVisible()).toBe(false);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 14: on a phone every icon button is a 44 px target, and the drawer takes the focus and gives it back", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 }, touch: true });
  const room = await stage.room(alice, "fingers", [], "public");
  await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "tap me" });
  const page = alice.page;
  const message = page.locator("article.message", { hasText: "tap me" });
  await message.locator(".message-body").tap();
  await message.locator(".message-actions").getByRole("button").first().waitFor({ state: "visible" });
  const small = await page.locator(".icon-button").evaluateAll((buttons) =>
    buttons
      .map((b) => ({ name: b.getAttribute("aria-label") ?? b.textContent?.trim(), box: b.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
      .map(({ name, box }) => `${name} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  expect(small).toEqual([]);
  // The drawer: focus goes into it (the page behind is inert), and back to its button when it closes.
  const menu = page.locator(".conversation-header").getByRole("button", { name: "Open the room list" });
  await menu.tap();
  expect(await eventually(() => page.evaluate(() => document.activeElement?.closest("#sidebar") !== null), (inside) => inside)).toBe(true);
  expect(await page.getByText("Ctrl K").isVisible()).toBe(false);
  await page.keyboard.press("Escape");
  const back = () => page.evaluate(() => document.activeElement?.getAttribute("aria-label"));
  expect(await eventually(back, (label) => label === "Open the room list")).toBe("Open the room list");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 14: on a phone a tapped message's actions fit one row; the rest are in More, each with its words", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 }, touch: true });
  const room = await stage.room(alice, "fingers", [], "public");
  for (const body of ["first words", "my own message, to act on"]) {
    await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body });
  }
  const page = alice.page;
  const message = page.locator("article.message", { hasText: "my own message" });
  await message.locator(".message-body").tap();
  const row = message.locator(".message-actions");
  await row.getByRole("button").first().waitFor({ state: "visible" });
  const tops = await row.locator("button:visible").evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
  expect(tops.length).toBeGreaterThan(3);
  expect(new Set(tops).size).toBe(1);
  const more = row.getByRole("button", { name: "More actions on this message" });
  await more.tap();
  const menu = message.getByRole("menu");
  const items = await menu.getByRole("menuitem").evaluateAll((all) => all.map((item) => item.textContent?.trim()));
  expect(items).toEqual(["Quote in a reply", "Copy a link to the message", "Pin the message", "Copy text", "Delete message"]);
  // The menu opened where it can be read whole, above the composer.
  const box = (await menu.boundingBox())!;
  const composer = (await page.locator("#composer").boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(composer.y);
  await menu.getByRole("menuitem", { name: "Delete message" }).tap();
  await page.getByRole("dialog", { name: "Delete this message?" }).waitFor();
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 14: a direct message's heading is the person's name alone; that they are online is said after it", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  const { room } = await stage.call<{ room: { id: number } }>(alice, "POST", "/api/dms", { userIds: [bob.id] });
  await alice.page.goto(`${stage.url}/chat/${room.id}`);
  const heading = alice.page.getByRole("heading", { level: 1 });
  await alice.page.locator(".conversation-header .presence-dot").waitFor();
  expect(await heading.evaluate((h) => h.textContent?.trim())).toBe("Bob Martin");
  expect(await alice.page.getByRole("heading", { level: 1, name: "Bob Martin", exact: true }).count()).toBe(1);
  await expectText(alice.page.locator(".conversation-title > .visually-hidden"), "Online");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 8: Create with a typed name that matches nobody asks instead of dropping it", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const dialog = alice.page.getByRole("dialog", { name: "Create a room" });
  await dialog.getByLabel("Name").fill("plans");
  await dialog.getByLabel("Invite people (optional)").fill("nobody-here");
  await dialog.getByText("Nobody found.").waitFor();
  await dialog.getByRole("button", { name: "Create room" }).click();
  await dialog.getByRole("alert").filter({ hasText: "nobody-here" }).waitFor();
  expect(await dialog.isVisible()).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 10: a disabled person's open tab says an administrator disabled the account, and the login page shows one banner", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const carol = await stage.person("carol");
  await carol.page.locator(".user-menu").waitFor();
  await stage.call(alice, "PATCH", `/api/admin/users/${carol.id}`, { disabled: true });
  await carol.page.waitForURL(/\/login\?ended=/);
  const banners = carol.page.locator(".form-success, .form-error");
  await expectText(banners.first(), /administrator has disabled your account/);
  expect(await banners.count()).toBe(1);
  // Trying again: the answer replaces the arrival notice rather than contradicting it beside it.
  await carol.page.getByLabel("Username").fill("carol");
  await carol.page.getByLabel("Password").fill(PASSWORD);
  await carol.page.getByRole("button", { name: "Log in" }).click();
  await expectText(carol.page.getByRole("alert"), "This account has been disabled by an administrator.");
  expect(await banners.count()).toBe(1);
  // The browser itself logs the refused login (403) and any request of the tab that was in flight
  // when the account was disabled (401); nothing else went wrong.
  const refused = /status of 403 .*\/api\/auth\/login$|status of 401 .*\/api\//;
  expect(stage.problems().filter((problem) => !refused.test(problem))).toEqual([]);
}, STEP);

test("item 13: the admin's tables and dialogs name people by display name with @username, and Sessions lists this device first", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  await stage.person("carol");
  await alice.page.reload();
  const users = alice.page.locator("section[aria-labelledby=users-title]");
  const bobRow = users.locator("tr", { hasText: "@bob" });
  await expectText(bobRow.locator("td").first(), "Bob Martin @bob");
  // No "carol @carol": the username alone says it once.
  await expectText(users.locator("tr", { hasText: "carol" }).locator("td").first(), "carol");
  const storage = alice.page.getByTestId("storage-section");
  await expectText(storage.locator("tr", { hasText: "@bob" }).locator("td").first(), "Bob Martin @bob");
  await bobRow.getByRole("button", { name: "Disable" }).click();
  await alice.page.getByRole("dialog", { name: "Disable Bob Martin (@bob)?" }).waitFor();
  await alice.page.keyboard.press("Escape");
  // Bob on a second device, more recent than this one: this device is still listed first.
  await bob.page.goto(`${stage.url}/dashboard`);
  const phone = await stage.visitor();
  await logInOnPage(phone.page, stage.url, "bob");
  await bob.page.reload();
  const sessions = bob.page.locator(".session-item");
  expect(await eventually(() => sessions.count(), (n) => n === 2)).toBe(2);
  await expectText(sessions.first().locator(".tag"), "This device");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 16: New room's radio descriptions read in regular weight; 'Registration mode saved.' covers nothing", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  await alice.page.getByText("Invite only", { exact: true }).click();
  await expectText(alice.page.locator("section[aria-labelledby=registration-title] [role=status]"), "Registration mode saved.");
  expect(await alice.page.locator(".toast").count()).toBe(0);
  await alice.page.goto(`${stage.url}/chat`);
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const hint = alice.page.getByRole("dialog", { name: "Create a room" }).getByText("Anyone on this server can find and join it.");
  expect(await hint.evaluate((el) => getComputedStyle(el).fontWeight)).toBe("400");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("item 14: the online count is read as words and an online person's button has no stray space", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.person("bob");
  const online = alice.page.locator("section[aria-labelledby=sidebar-online]");
  // Named by what it shows (the person), its title says what a click does.
  const bob = online.getByRole("button", { name: "bob", exact: true });
  await bob.waitFor();
  expect(await bob.getAttribute("title")).toBe("Send a direct message to bob");
  expect(await online.locator("[aria-label]:not(button):not(ul):not(section)").count()).toBe(0);
  await expectText(online.locator(".visually-hidden").first(), /^1 person online$/);
  expect(stage.problems()).toEqual([]);
}, STEP);
