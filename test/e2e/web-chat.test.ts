// The web client in real Chromium against the compiled binary: two people register, find each
// other online, talk in a DM and in a room, reload and find their history, and nothing hostile
// they type ever runs. One browser, one context per person; the steps build on each other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Locator, Page } from "playwright-core";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { launchBrowser, newPerson, screenshot, watchedPage } from "../support/browser.ts";
import { bodies, eventually, expectAccessible, expectText, expectTitle, logIn, PASSWORD, problemsOf, register, send, type Person } from "./web-helpers.ts";

let server: RunningBinary;
let browser: Browser;
let alice: Person;
let bob: Person;
let designUrl: string;
let phone: Person;
let visitor: Person;
/** Browser steps wait on real events; a step that has not happened by then has failed. */
const STEP = 60_000;

beforeAll(async () => {
  server = await startBinary();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("two people chatting in the browser", () => {
  test("a first visitor registers from the home page and lands in the chat", async () => {
    alice = await register(browser, server.url, "alice", { displayName: "Alice Martin" });
    await expectText(alice.page.locator(".user-menu-name"), "Alice Martin");
    // No room yet: the sidebar and the conversation area say what to do instead of staying blank.
    await expectText(alice.page.locator("#sidebar .sidebar-empty").first(), "You have not joined a room yet.");
    await expectText(alice.page.locator(".welcome h1"), "Welcome to VaultRoom");
  }, STEP);

  test("a second person registers and each sees the other in the online list", async () => {
    bob = await register(browser, server.url, "bob");
    // They share no room yet: only the live server-wide presence.changed can bring the other in
    // within this wait (the sidebar's fallback poll runs once a minute).
    const onlineAtAlice = alice.page.getByTestId("online-list").getByRole("button", { name: /bob/ });
    const onlineAtBob = bob.page.getByTestId("online-list").getByRole("button", { name: /Alice Martin/ });
    await onlineAtBob.waitFor({ timeout: 15_000 });
    await onlineAtAlice.waitFor({ timeout: 15_000 });
  }, STEP);

  test("clicking a person online opens a DM, and messages arrive live both ways", async () => {
    await alice.page.getByTestId("online-list").getByRole("button", { name: /bob/ }).click();
    await alice.page.waitForURL(/\/chat\/\d+$/);
    await expectText(alice.page.locator(".conversation-name"), "bob");
    await send(alice.page, "Hi Bob, **welcome** aboard!");
    await expectText(bodies(alice.page).last(), "Hi Bob, welcome aboard!");

    // Bob sees the new DM with an unread badge, opens it and reads the message.
    const dmLink = bob.page.getByRole("link", { name: /Alice Martin\s*, 1 unread message/ });
    await dmLink.waitFor();
    await expectTitle(bob.page, /^\(1\) /);
    await dmLink.click();
    await expectText(bodies(bob.page).last(), "Hi Bob, welcome aboard!");
    await expectText(bob.page.locator(".message-body strong").last(), "welcome");

    // Bob types: Alice sees the typing indicator, then the reply.
    await bob.page.locator("textarea.composer-input").pressSequentially("Thanks", { delay: 20 });
    await expectText(alice.page.locator(".typing-indicator"), /bob is typing/);
    await bob.page.locator("textarea.composer-input").press("Enter");
    await expectText(bodies(alice.page).last(), "Thanks");
    // Screen readers hear it: the polite live region carries the newest message from someone else.
    await expectText(alice.page.getByTestId("announcer"), "bob: Thanks");
    await expectTitle(bob.page, /^\(/, true);
  }, STEP);

  test("a private room created with Bob invited appears for him, and both talk in it", async () => {
    await alice.page.getByRole("button", { name: "New room" }).first().click();
    const dialog = alice.page.getByRole("dialog", { name: "Create a room" });
    await dialog.getByLabel("Name").fill("design");
    await dialog.getByLabel("Topic (optional)").fill("Pixels and words");
    await dialog.getByText("Private", { exact: true }).click();
    await dialog.getByLabel("Invite people (optional)").fill("bob");
    await dialog.getByRole("button", { name: /@bob/ }).click();
    await dialog.getByRole("button", { name: "Create room" }).click();
    await expectText(alice.page.locator(".conversation-name"), "design");
    await expectText(alice.page.locator(".conversation-topic"), "Pixels and words");
    designUrl = alice.page.url();

    const link = bob.page.getByRole("link", { name: /^design/ });
    await link.waitFor();
    await send(alice.page, "First message in design");
    await link.click();
    await expectText(bodies(bob.page).last(), "First message in design");
    await send(bob.page, "Second, from Bob");
    await expectText(bodies(alice.page).last(), "Second, from Bob");
  }, STEP);

  test("a public room can be found with Browse rooms and joined", async () => {
    await alice.page.getByRole("button", { name: "New room" }).first().click();
    const create = alice.page.getByRole("dialog", { name: "Create a room" });
    await create.getByLabel("Name").fill("random");
    await create.getByRole("button", { name: "Create room" }).click();
    await expectText(alice.page.locator(".conversation-name"), "random");
    // An empty room explains itself and offers the first step.
    const start = alice.page.getByTestId("room-start");
    await expectText(start.locator("h2"), "This is the beginning of #random");
    await expectText(start, /A public room: anyone on this server can find and join it\. You created it on .*No messages yet\./);
    await start.getByRole("button", { name: "Add people" }).waitFor();

    await bob.page.getByRole("button", { name: "Browse rooms" }).first().click();
    const browse = bob.page.getByRole("dialog", { name: "Browse rooms" });
    await browse.getByRole("button", { name: "Join random" }).click();
    await expectText(bob.page.locator(".conversation-name"), "random");
    await send(bob.page, "Hello random");
    await expectText(bodies(alice.page).last(), "Hello random");
    await expectText(alice.page.locator(".conversation-header .members-button"), "2");
  }, STEP);

  test("after a reload the history is still there, in order", async () => {
    await bob.page.goto(designUrl);
    await expectText(bodies(bob.page).first(), "First message in design");
    await expectText(bodies(bob.page).last(), "Second, from Bob");
  }, STEP);

  test("stored XSS in a message and in a display name renders as text and runs nothing", async () => {
    const payload = `<img src=x onerror="window.__pwned=1"><svg onload="window.__pwned=2"></svg>`;
    const nameload = `<img src=x onerror=window.__pwned=7>`;
    // Bob's display name becomes a payload, set through the dashboard.
    await bob.page.goto(`${server.url}/dashboard`);
    await bob.page.getByLabel("Display name", { exact: true }).fill(nameload);
    await bob.page.getByRole("button", { name: "Save" }).click();
    await expectText(bob.page.locator(".toast"), "Profile saved.");
    await bob.page.goto(designUrl);
    await bodies(bob.page).last().waitFor();

    await alice.page.goto(designUrl);
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
    // The display name shows as typed, as the author of those messages.
    await expectText(alice.page.locator(".message-author").last(), nameload);
    await expectText(alice.page.locator("#sidebar .sidebar-item-name", { hasText: "<img" }).first(), nameload);
  }, STEP);

  test("markdown renders bold, italic, code, code blocks, lists and safe links", async () => {
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
  }, STEP);

  test("I can edit and, after confirming, delete my own message; the other side sees both", async () => {
    await send(alice.page, "Typo hre");
    const mine = alice.page.locator("article.message", { hasText: "Typo hre" });
    await mine.hover();
    await mine.getByRole("button", { name: "Edit message" }).click();
    const editor = alice.page.getByLabel("Edit your message");
    await editor.fill("Typo here");
    await editor.press("Enter");
    await expectText(bodies(bob.page).last(), "Typo here");
    await expectText(bob.page.locator("article.message").last().locator(".message-edited"), "(edited)");

    // On someone else's message Bob (not an admin) may copy the text, but neither edit nor delete it.
    const theirs = bob.page.locator("article.message", { hasText: "Typo here" });
    await theirs.hover();
    await theirs.getByRole("button", { name: "Copy text" }).waitFor();
    expect(await theirs.getByRole("button", { name: /Edit message|Delete message/ }).count()).toBe(0);

    const edited = alice.page.locator("article.message", { hasText: "Typo here" });
    await edited.hover();
    await edited.getByRole("button", { name: "Delete message" }).click();
    const confirm = alice.page.getByRole("dialog", { name: "Delete this message?" });
    await confirm.getByRole("button", { name: "Delete message" }).click();
    await bob.page.locator("article.message", { hasText: "Typo here" }).waitFor({ state: "detached" });
    await alice.page.locator("article.message", { hasText: "Typo here" }).waitFor({ state: "detached" });
  }, STEP);

  test("Ctrl+K jumps to a conversation with the keyboard, Esc closes the dialog", async () => {
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
  }, STEP);

  test("offline, a message waits as pending behind a reconnecting banner and is delivered after", async () => {
    await alice.page.goto(designUrl);
    await bodies(alice.page).last().waitFor();
    const before = alice.problems.length;
    await alice.context.setOffline(true);
    await alice.page.getByTestId("reconnecting").waitFor({ timeout: 40_000 });
    await send(alice.page, "Sent while offline");
    await alice.page.locator("article.message.pending", { hasText: "Sent while offline" }).waitFor();
    // Meanwhile Bob writes: Alice cannot receive it live and must get it from the resync.
    await send(bob.page, "Missed while you were away");
    await expectText(bodies(bob.page).last(), "Missed while you were away");
    await alice.context.setOffline(false);
    await alice.page.getByTestId("reconnecting").waitFor({ state: "detached", timeout: 40_000 });
    await expectText(bodies(bob.page).last(), "Sent while offline", 30_000);
    await alice.page.locator("article.message.pending").waitFor({ state: "detached" });
    expect(await alice.page.locator("article.message", { hasText: "Sent while offline" }).count()).toBe(1);
    await alice.page.locator(".message-body", { hasText: "Missed while you were away" }).waitFor();
    expect(await alice.page.locator(".message-body", { hasText: "Missed while you were away" }).count()).toBe(1);
    // While offline Chromium reports each failed reconnect attempt; those, and only those, are expected.
    const during = alice.problems.splice(before);
    expect(during.filter((p) => !/WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
  }, 120_000);
  test("a message still pending when the tab is reloaded is kept and delivered once", async () => {
    const before = alice.problems.length;
    await alice.context.setOffline(true);
    await alice.page.getByTestId("reconnecting").waitFor();
    await send(alice.page, "Survives a reload");
    await alice.page.locator("article.message.pending", { hasText: "Survives a reload" }).waitFor();
    const kept = await alice.page.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join(""));
    expect(kept).toContain("Survives a reload");
    await alice.context.setOffline(false);
    await alice.page.reload();
    await expectText(bodies(bob.page).last(), "Survives a reload", 30_000);
    await alice.page.locator("article.message:not(.pending)", { hasText: "Survives a reload" }).waitFor();
    expect(await bob.page.locator(".message-body", { hasText: "Survives a reload" }).count()).toBe(1);
    expect(await alice.page.locator(".message-body", { hasText: "Survives a reload" }).count()).toBe(1);
    const during = alice.problems.splice(before);
    expect(during.filter((p) => !/WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
  }, 120_000);

  test("messages refused by the rate limit are marked failed, and Retry sends them", async () => {
    await alice.page.goto(designUrl);
    await bodies(alice.page).last().waitFor();
    const composer = alice.page.locator("textarea.composer-input");
    // Far past the per-connection burst of 20: the server refuses some with rate_limited.
    for (let i = 1; i <= 40; i++) {
      await composer.fill(`burst ${i}`);
      await composer.press("Enter");
    }
    const failed = alice.page.locator("article.message.failed");
    await failed.first().waitFor();
    await expectText(failed.first().locator(".message-status"), /Not sent\..*Too many attempts/);
    await screenshot(alice.page, "failed-messages");
    // Retry each until none is left; everything arrives once, in the order it was retried.
    while ((await failed.count()) > 0) {
      await failed.first().getByRole("button", { name: "Retry" }).click();
      await Bun.sleep(250);
    }
    await expectText(bodies(bob.page).last(), /^burst \d+$/, 30_000);
    const texts = await eventually(
      () => bodies(bob.page).allTextContents(),
      (all) => all.filter((t) => t.startsWith("burst ")).length === 40,
      30_000,
    );
    expect(new Set(texts.filter((t) => t.startsWith("burst "))).size).toBe(40);
  }, 120_000);
});

describe("the interface around the chat", () => {
  test("older history loads while scrolling up without moving what I read; new messages wait behind a pill", async () => {
    await alice.page.getByRole("button", { name: "New room" }).first().click();
    const create = alice.page.getByRole("dialog", { name: "Create a room" });
    await create.getByLabel("Name").fill("history");
    await create.getByRole("button", { name: "Create room" }).click();
    await expectText(alice.page.locator(".conversation-name"), "history");
    // Bob is invited afterwards, from the room's header.
    await alice.page.locator(".conversation-header").getByRole("button", { name: "Add people" }).click();
    const invite = alice.page.getByRole("dialog", { name: "Add people to #history" });
    await invite.getByLabel("Who should join?").fill("bo");
    await invite.getByRole("button", { name: /@bob/ }).click();
    await invite.getByRole("button", { name: "Add", exact: true }).click();
    await expectText(alice.page.locator(".toast").last(), "1 person added to #history.");
    await expectText(alice.page.locator(".conversation-header .members-button"), "2");
    const roomId = Number(alice.page.url().split("/").pop());

    // 80 messages through the HTTP API (same session cookie), paced under the per-user rate limit.
    for (let i = 1; i <= 80; i++) {
      const response = await alice.context.request.post(`${server.url}/api/rooms/${roomId}/messages`, {
        data: { clientId: crypto.randomUUID(), body: `line ${i}` },
        headers: { origin: server.url },
      });
      if (response.status() === 429) {
        await Bun.sleep(1000);
        i--;
        continue;
      }
      expect(response.status()).toBe(201);
    }
    await expectText(bodies(alice.page).last(), "line 80");

    await bob.page.getByRole("link", { name: /^history/ }).click();
    await expectText(bodies(bob.page).last(), "line 80");
    // Bob had not read any of it: the unread divider is shown.
    await bob.page.getByTestId("unread-divider").waitFor();

    // Coming back later, the newest page is shown at the bottom, the older ones load on the way up.
    await bob.page.reload();
    await expectText(bodies(bob.page).last(), "line 80");
    const scroller = bob.page.getByTestId("messages");
    expect(await bodies(bob.page).first().textContent()).toBe("line 31");
    const anchor = bob.page.locator(".message-body", { hasText: /^line 31$/ });
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await expectText(bodies(bob.page).first(), "line 1");
    // The message that was at the top is still in view, not thrown off by the 30 inserted above it.
    const top = await anchor.evaluate((el) => el.getBoundingClientRect().top);
    const box = await scroller.evaluate((el) => ({ top: el.getBoundingClientRect().top, height: el.clientHeight }));
    expect(top).toBeGreaterThanOrEqual(box.top);
    expect(top).toBeLessThan(box.top + box.height / 2);

    // Scrolled up, a new message does not pull Bob down: a "new messages" pill appears instead.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await send(alice.page, "line 81");
    const pill = bob.page.getByRole("button", { name: "New messages" });
    await pill.waitFor();
    await pill.click();
    await pill.waitFor({ state: "detached" });
    const atBottom = await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 50);
    expect(atBottom).toBe(true);
  }, 120_000);

  test("the chat works on a 375×812 phone: drawer sidebar, nothing overflowing, and at 360 px too", async () => {
    phone = await logIn(browser, server.url, "alice", { viewport: { width: 375, height: 812 } });
    await phone.page.goto(designUrl);
    await bodies(phone.page).last().waitFor();
    await screenshot(phone.page, "chat-375x812");
    expect(await overflowX(phone.page)).toBe(false);
    await expectHidden(phone.page.locator("#sidebar"));

    await phone.page.getByRole("button", { name: "Open the room list" }).click();
    await phone.page.locator("#sidebar").getByRole("link", { name: /^random/ }).click();
    await expectText(phone.page.locator(".conversation-name"), "random");
    await expectHidden(phone.page.locator("#sidebar"));
    await phone.page.getByRole("button", { name: "Open the room list" }).click();
    await phone.page.locator("#sidebar").evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    await screenshot(phone.page, "drawer-375x812");
    await phone.page.keyboard.press("Escape");
    await expectHidden(phone.page.locator("#sidebar"));

    await phone.page.setViewportSize({ width: 360, height: 740 });
    for (const path of ["/", "/dashboard", "/dashboard?tab=server", new URL(designUrl).pathname]) {
      await phone.page.goto(server.url + path);
      await phone.page.locator("main").first().waitFor();
      await phone.page.waitForLoadState("networkidle");
      expect({ path, overflow: await overflowX(phone.page) }).toEqual({ path, overflow: false });
    }
    await screenshot(phone.page, "dashboard-360");
  }, STEP);

  test("every page has no serious or critical accessibility violation (axe-core)", async () => {
    visitor = { ...(await watchedPage(await newPerson(browser))), username: "" } as Person;
    // A stranger asking for a logged-in page is sent to log in, with the way back kept.
    await visitor.page.goto(`${server.url}/dashboard`);
    await visitor.page.waitForURL(/\/login\?next=%2Fdashboard$/);
    for (const path of ["/", "/login", "/register"]) {
      await visitor.page.setViewportSize({ width: 1280, height: 800 });
      await visitor.page.goto(server.url + path);
      await visitor.page.locator("main h1").waitFor();
      await expectAccessible(visitor.page, path);
      await visitor.page.setViewportSize({ width: 360, height: 740 });
      expect({ path, overflow: await overflowX(visitor.page) }).toEqual({ path, overflow: false });
    }
    await screenshot(visitor.page, "register-360");
    await visitor.page.setViewportSize({ width: 1280, height: 800 });
    await alice.page.goto(designUrl);
    await bodies(alice.page).last().waitFor();
    await expectAccessible(alice.page, "chat");
    await screenshot(alice.page, "chat-desktop");
    await alice.page.getByRole("button", { name: "Browse rooms" }).first().click();
    await alice.page.getByRole("dialog", { name: "Browse rooms" }).getByRole("button", { name: /random/ }).waitFor();
    await expectAccessible(alice.page, "browse rooms dialog");
    await alice.page.keyboard.press("Escape");
    for (const path of ["/dashboard", "/dashboard?tab=server"]) {
      await alice.page.goto(server.url + path);
      await alice.page.locator(".card h2").first().waitFor();
      await alice.page.waitForLoadState("networkidle");
      await expectAccessible(alice.page, path);
    }
    await screenshot(alice.page, "dashboard-server");

    // The dark theme (following the system) must read as well as the light one.
    await alice.page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(alice.page, "dark /dashboard?tab=server");
    await alice.page.goto(designUrl);
    await bodies(alice.page).last().waitFor();
    await expectAccessible(alice.page, "dark chat");
    await screenshot(alice.page, "chat-dark");
    await visitor.page.emulateMedia({ colorScheme: "dark" });
    await visitor.page.goto(`${server.url}/login`);
    await visitor.page.locator("main h1").waitFor();
    await expectAccessible(visitor.page, "dark /login");
    await alice.page.emulateMedia({ colorScheme: "light" });
    await visitor.page.emulateMedia({ colorScheme: "light" });
  }, STEP);

  test("the language switch turns the interface French and is remembered", async () => {
    await alice.page.goto(`${server.url}/dashboard`);
    await alice.page.getByRole("combobox", { name: "Language" }).selectOption("fr");
    await expectText(alice.page.locator("main h1"), "Réglages");
    await alice.page.reload();
    await expectText(alice.page.locator("main h1"), "Réglages");
    expect(await alice.page.evaluate(() => document.documentElement.lang)).toBe("fr");
    await alice.page.goto(designUrl);
    await expectText(alice.page.locator("#sidebar-rooms"), "Salons");
    await screenshot(alice.page, "chat-french");
    await alice.page.goto(`${server.url}/dashboard`);
    await alice.page.getByRole("combobox", { name: "Langue" }).selectOption("en");
    await expectText(alice.page.locator("main h1"), "Settings");
  }, STEP);

  test("an admin makes registration invite-only and hands out a copied invite link that works once", async () => {
    await alice.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await alice.page.goto(`${server.url}/dashboard?tab=server`);
    await alice.page.getByText("Invite only", { exact: true }).click();
    await expectText(alice.page.locator(".toast").last(), "Registration mode saved.");
    await alice.page.getByRole("button", { name: "Create invite link" }).click();
    const link = (await alice.page.getByTestId("invite-link").textContent())!;
    expect(link).toMatch(new RegExp(`^${server.url}/register#invite=`));
    await alice.page.getByRole("button", { name: "Copy the invite link" }).click();
    await expectText(alice.page.locator(".toast").last(), "Copied to the clipboard.");
    expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    await visitor.page.goto(`${server.url}/`);
    // The home page knows the server is invitation-only (from the session probe).
    await expectText(visitor.page.locator(".home-mode"), "Joining this server takes an invite link from its administrator.");
    await visitor.page.goto(link);
    await expectText(visitor.page.locator(".auth-card .muted").first(), /invitation-only/);
    expect(await visitor.page.getByLabel("Invite link or code").inputValue()).not.toBe("");
    await visitor.page.getByLabel("Username").fill("carol");
    await visitor.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await visitor.page.getByRole("button", { name: "Create account" }).click();
    await visitor.page.waitForURL(/\/chat/);
    await visitor.page.locator(".user-menu").waitFor();

    await alice.page.reload();
    await alice.page.locator("section[aria-labelledby=users-title]").getByRole("cell", { name: "carol @carol" }).waitFor();
    await expectText(alice.page.locator(".invite-item .tag").first(), "Used up");
    await alice.page.getByText("Open", { exact: true }).click();
    await expectText(alice.page.locator(".toast").last(), "Registration mode saved.");
  }, STEP);

  test("an admin resets a password: the person is logged out and must choose a new one at the next login", async () => {
    await alice.page.goto(`${server.url}/dashboard?tab=server`);
    const row = alice.page.locator("section[aria-labelledby=users-title] tr", { hasText: "@carol" });
    await row.getByRole("button", { name: "Reset password" }).click();
    await alice.page.getByRole("dialog", { name: "Reset carol's password?" }).getByRole("button", { name: "Reset password" }).click();
    const oneTime = (await alice.page.getByRole("dialog", { name: "New password for carol" }).locator(".secret").textContent())!;
    expect(oneTime.length).toBeGreaterThanOrEqual(10);
    await alice.page.getByRole("button", { name: "Done" }).click();

    await visitor.page.waitForURL(/\/login\?ended=1/);
    await visitor.page.getByLabel("Username").fill("carol");
    await visitor.page.getByLabel("Password").fill(oneTime);
    await visitor.page.getByRole("button", { name: "Log in" }).click();
    await visitor.page.waitForURL(/\/dashboard\?change-password=1/);
    await expectText(visitor.page.locator("#password [role=alert]"), "Your password was reset. Choose a new one to continue.");
    await visitor.page.getByLabel("Current password").fill(oneTime);
    await visitor.page.getByLabel("New password").fill(`${PASSWORD} 2`);
    await visitor.page.getByRole("button", { name: "Change password" }).click();
    await expectText(visitor.page.locator(".toast").last(), "Password changed. Your other sessions were logged out.");
    await visitor.page.getByRole("link", { name: "Back to chat" }).click();
    await visitor.page.locator(".user-menu").waitFor();
  }, STEP);

  test("the member list shows who is in a room, and opens a DM with one of them", async () => {
    await bob.page.goto(designUrl);
    await bob.page.getByRole("button", { name: "2 members" }).click();
    const members = bob.page.getByRole("dialog", { name: "Members" });
    await expectText(members.locator(".member-name").first(), /Alice Martin|bob/);
    expect((await members.locator(".member-name").allTextContents()).sort()).toEqual(["<img src=x onerror=window.__pwned=7> (you)", "Alice Martin"]);
    await members.getByRole("button", { name: "Send a direct message to Alice Martin" }).click();
    await expectText(bob.page.locator(".conversation-name"), "Alice Martin");
  }, STEP);

  test("a person deletes their own account after confirming and is logged out", async () => {
    await visitor.page.goto(`${server.url}/dashboard`);
    await visitor.page.getByLabel("Your password, to confirm").fill(`${PASSWORD} 2`);
    await visitor.page.getByRole("button", { name: "Delete my account" }).click();
    await visitor.page.getByRole("dialog", { name: "Delete your account?" }).getByRole("button", { name: "Delete my account" }).click();
    await visitor.page.waitForURL(`${server.url}/`);
    await alice.page.goto(`${server.url}/dashboard?tab=server`);
    await alice.page.locator("section[aria-labelledby=users-title] tr", { hasText: "@bob" }).waitFor();
    expect(await alice.page.locator("section[aria-labelledby=users-title] tr", { hasText: "@carol" }).count()).toBe(0);
  }, STEP);

  test("ending my other sessions from one device sends the other tab back to the login page", async () => {
    await alice.page.goto(designUrl);
    await bodies(alice.page).last().waitFor();
    await phone.page.goto(`${server.url}/dashboard`);
    await phone.page.getByRole("button", { name: "End all other sessions" }).click();
    await alice.page.waitForURL(/\/login\?ended=1/);
    await expectText(alice.page.locator("[role=status]").first(), "Your session has ended. Log in again to continue.");
    // Logging in again from there goes back to the chat.
    await alice.page.getByLabel("Username").fill("alice");
    await alice.page.getByLabel("Password").fill(PASSWORD);
    await alice.page.getByRole("button", { name: "Log in" }).click();
    await alice.page.waitForURL(/\/chat/);
    await alice.page.locator(".user-menu").waitFor();
    await phone.page.getByRole("button", { name: "Log out" }).last().click();
    await phone.page.waitForURL(/\/login$/);
  }, STEP);

  test("no page showed a console error or a CSP violation", () => {
    for (const person of [alice, bob, phone, visitor]) expect(problemsOf(person)).toEqual([]);
  });
});

async function overflowX(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

async function expectHidden(locator: Locator): Promise<void> {
  const visible = await eventually(() => locator.isVisible(), (v) => !v);
  expect(visible).toBe(false);
}
