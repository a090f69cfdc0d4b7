// Mentions and notifications in real Chromium against the compiled binary (issue 12): the @-mention
// autocomplete (keyboard and tap) and the highlight; the mention badge; the notification permission
// asked only from a click, with the Notification API observed (permission granted in the browser
// context, every notification shown recorded by the page); levels and mute changing what notifies;
// axe on the new settings and menus; French. Each test starts its own server (stage.ts).
import { expect, test } from "bun:test";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { screenshot } from "../support/browser.ts";
import { stagePerTest, type Member, type Stage } from "./stage.ts";
import { eventually, expectText, send } from "./web-helpers.ts";

const current = stagePerTest();

/** Records every notification the page shows and every permission request, before any page script runs. */
async function observeNotifications(person: Member, stage: Stage): Promise<void> {
  await person.context.grantPermissions(["notifications"], { origin: stage.url });
  await person.page.addInitScript(() => {
    const w = window as unknown as { __notifications: { title: string; body?: string; tag?: string }[]; __permissionRequests: number; __last?: Notification };
    w.__notifications = [];
    w.__permissionRequests = 0;
    const Real = window.Notification;
    class Recording extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        w.__notifications.push({ title, body: options?.body, tag: options?.tag });
        w.__last = this;
      }
    }
    Object.defineProperty(Recording, "permission", { get: () => Real.permission });
    Object.defineProperty(Recording, "requestPermission", {
      value: (...args: Parameters<typeof Real.requestPermission>) => {
        w.__permissionRequests++;
        return Real.requestPermission(...args);
      },
    });
    window.Notification = Recording as unknown as typeof Notification;
  });
  await person.page.reload();
  await person.page.locator(".user-menu").waitFor({ state: "attached" });
}

const shown = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string; tag?: string }[] }).__notifications);
const permissionRequests = (page: Page) => page.evaluate(() => (window as unknown as { __permissionRequests: number }).__permissionRequests);

/** Axe with WCAG 2.2 AA and best practices, limited to `selector` (the new parts). */
async function expectNoViolations(page: Page, selector: string, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include(selector).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(results.violations.map((v) => `${what}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
}

test("typing @ suggests the room's members, best match first, picked by keyboard or tap; the mention is highlighted and badged", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { displayName: "Bob Builder" });
  const bonnie = await stage.person("bonnie");
  const design = await stage.room(alice, "design", [bob, bonnie]);
  // Bob looks at another room, so design gathers badges.
  await stage.room(bob, "elsewhere");

  const composer = alice.page.locator("textarea.composer-input");
  await composer.fill("");
  await composer.pressSequentially("ping @bo");
  const list = alice.page.getByRole("listbox", { name: "People to mention" });
  await list.waitFor();
  expect(await list.locator(".mention-handle").allTextContents()).toEqual(["@bob", "@bonnie"]);
  await expectNoViolations(alice.page, ".composer", "mention suggestions");
  await composer.press("ArrowDown");
  await composer.press("ArrowDown");
  expect(await list.getByRole("option", { selected: true }).locator(".mention-handle").textContent()).toBe("@bob");
  await composer.press("Enter");
  expect(await composer.inputValue()).toBe("ping @bob ");
  await composer.pressSequentially("the roof needs you");
  await composer.press("Enter");
  // Display names find people too, and a tap picks.
  await composer.pressSequentially("and @Buil");
  await list.getByRole("option", { name: /Bob Builder/ }).click();
  expect(await composer.inputValue()).toBe("and @bob ");
  await composer.fill("");

  await expectText(bob.page.locator(`a[href="/chat/${design.id}"] .mention-badge`), "@1");
  await bob.page.locator(`a[href="/chat/${design.id}"]`).click();
  const mine = bob.page.locator("article.message.mentions-me");
  await mine.waitFor();
  await expectText(mine.locator("mark.mention.me"), "@bob");
  await screenshot(bob.page, "mention-highlight");
  // Opened, the room's mention badge goes.
  await bob.page.locator(`a[href="/chat/${design.id}"] .mention-badge`).waitFor({ state: "detached" });
  expect(stage.problems()).toEqual([]);
}, 150_000);

test("notifications: permission asked only from a click; a DM or mention in another room notifies; clicking opens the message", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const design = await stage.room(alice, "design", [bob]);
  await stage.room(bob, "elsewhere");
  await observeNotifications(bob, stage);
  // Nothing is asked on page load.
  expect(await permissionRequests(bob.page)).toBe(0);
  await bob.page.getByRole("button", { name: "Turn on notifications" }).click();
  await eventually(() => permissionRequests(bob.page), (n) => n === 1);
  await bob.page.getByRole("button", { name: "Turn on notifications" }).waitFor({ state: "detached" });

  // A plain room message does not notify (rooms default to mentions only); a mention does.
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  await send(alice.page, "nothing for bob here");
  await send(alice.page, "@bob can you check the beams?");
  const mention = await eventually(() => shown(bob.page), (list) => list.length > 0);
  expect(mention).toEqual([{ title: "alice in design", body: "@bob can you check the beams?", tag: expect.stringMatching(/^vaultroom-message-\d+$/) }]);

  // A DM notifies, with the tab hidden too.
  const { room: dm } = await stage.call<{ room: { id: number } }>(alice, "POST", "/api/dms", { userIds: [bob.id] });
  await bob.page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await stage.call(alice, "POST", `/api/rooms/${dm.id}/messages`, { clientId: crypto.randomUUID(), body: "are you there?" });
  const both = await eventually(() => shown(bob.page), (list) => list.length === 2);
  expect(both[1]).toMatchObject({ title: "alice", body: "are you there?" });

  // Clicking the notification focuses the tab and opens the message.
  await bob.page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    const last = (window as unknown as { __last: Notification }).__last;
    last.onclick?.(new Event("click"));
  });
  // (The address is the room's own once the message is in view: a reload opens the room as usual.)
  await bob.page.waitForURL(new RegExp(`/chat/${dm.id}$`));
  await bob.page.locator("article.message.highlighted", { hasText: "are you there?" }).waitFor();
  expect(stage.problems()).toEqual([]);
}, 150_000);

test("levels and mute change what notifies; a muted room sinks and shows only its mention badge", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const design = await stage.room(alice, "design", [bob]);
  const zoo = await stage.room(alice, "zoo", [bob]);
  const lounge = await stage.room(bob, "lounge");
  await observeNotifications(bob, stage);
  await bob.page.getByRole("button", { name: "Turn on notifications" }).click();
  await bob.page.getByRole("button", { name: "Turn on notifications" }).waitFor({ state: "detached" });
  // Moving between rooms through the sidebar keeps this page (and its record of notifications).
  const open = async (room: { id: number }, name: string) => {
    await bob.page.locator(`a[href="/chat/${room.id}"]`).click();
    await bob.page.locator(".conversation-name", { hasText: name }).waitFor();
  };
  const bell = async (choose: (dialog: ReturnType<Page["getByRole"]>) => Promise<void>) => {
    await bob.page.getByTestId("notify-bell").click();
    const dialog = bob.page.getByRole("dialog", { name: "Notifications for this conversation" });
    await choose(dialog);
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
  };
  const post = (room: { id: number }, body: string) => stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body });

  // Design notifies of every message.
  await open(design, "design");
  await bell(async (dialog) => {
    await dialog.getByRole("radio", { name: "Every message" }).check();
    await expectNoViolations(bob.page, "dialog", "bell dialog");
  });
  await open(lounge, "lounge");
  await post(design, "plain news");
  await eventually(() => shown(bob.page), (list) => list.some((n) => n.body === "plain news"));

  // Muted for an hour: nothing notifies, not even a mention.
  await open(design, "design");
  await bell(async (dialog) => {
    await dialog.getByRole("button", { name: "For 1 hour" }).click();
    await dialog.getByTestId("muted-until").waitFor();
  });
  await open(lounge, "lounge");
  await post(design, "muted plain");
  await post(design, "@bob muted mention");
  // Zoo keeps the default (mentions only): its mention, sent after those, is shown; they were not.
  await post(zoo, "@bob zoo mention");
  const all = await eventually(() => shown(bob.page), (list) => list.some((n) => n.body === "@bob zoo mention"));
  expect(all.map((n) => n.body)).toEqual(["plain news", "@bob zoo mention"]);

  // The muted room shows its mention badge but no unread count, and sinks below the others.
  const link = bob.page.locator(`a[href="/chat/${design.id}"]`);
  await expectText(link.locator(".mention-badge"), "@1");
  expect(await link.locator(".badge:not(.mention-badge)").count()).toBe(0);
  const names = await bob.page.locator("section[aria-labelledby=sidebar-rooms] .sidebar-item-name").allTextContents();
  expect(names).toEqual(["lounge", "zoo", "design"]);
  expect(stage.problems()).toEqual([]);
}, 150_000);

test("the Notifications settings and the Mentions view pass axe, and read in French", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { locale: "fr-FR", path: "/dashboard" });
  const design = await stage.room(alice, "design", [bob]);
  await stage.call(alice, "POST", `/api/rooms/${design.id}/messages`, { clientId: crypto.randomUUID(), body: "@bob bonjour" });
  await bob.page.goto(`${stage.url}/dashboard`);
  const section = bob.page.locator("#notifications");
  await expectText(section.locator("h2"), "Notifications");
  await section.getByRole("radio", { name: "Tous les messages" }).check();
  await section.getByRole("button", { name: "Pendant 8\u00a0heures" }).click();
  await expectText(section.getByTestId("dnd-until"), /^Activé jusqu’au .*: rien ne vous notifie\.$/);
  await bob.page.waitForLoadState("networkidle");
  await expectNoViolations(bob.page, "#notifications", "notification settings (fr)");
  await screenshot(bob.page, "notification-settings-fr");
  // Saved on the server: a reload shows the same.
  await bob.page.reload();
  await expectText(bob.page.locator("#notifications").getByTestId("dnd-until"), /Activé jusqu’au/);
  expect(await bob.page.locator("#notifications").getByRole("radio", { name: "Tous les messages" }).isChecked()).toBe(true);

  await bob.page.goto(`${stage.url}/chat`);
  await bob.page.getByTestId("open-mentions").click();
  const view = bob.page.getByRole("dialog", { name: "Mentions" });
  await expectText(view.locator(".message-body").first(), "@bob bonjour");
  await expectNoViolations(bob.page, "dialog", "Mentions view (fr)");
  await view.locator(".mention-item").first().click();
  await bob.page.waitForURL(new RegExp(`/chat/${design.id}$`));
  await bob.page.locator("article.message.highlighted", { hasText: "@bob bonjour" }).waitFor();
  expect(stage.problems()).toEqual([]);
}, 150_000);
