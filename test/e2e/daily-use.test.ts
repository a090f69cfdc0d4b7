// The last findings of the newcomer walk-through (issue 19, "First run and daily use"), replayed in
// real Chromium against the compiled binary. Each test failed on the code before its fix.
import { expect, test } from "bun:test";
import type { Locator } from "playwright-core";
import { stagePerTest } from "./stage.ts";
import { callApi, expectAccessible, expectText, overflowX, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

test("the server's name titles the login page and the empty chat; without one they say VaultRoom", async () => {
  const stage = current();
  const root = await stage.person("root");
  const visitor = await stage.visitor();
  await visitor.page.goto(`${stage.url}/login`);
  await expectText(visitor.page.locator("h1"), "Log in to VaultRoom");
  await expectText(root.page.locator(".welcome h1"), "Welcome to VaultRoom");

  await stage.call(root, "PATCH", "/api/admin/settings", { serverName: "Acme Chat" });
  await visitor.page.reload();
  await expectText(visitor.page.locator("h1"), "Log in to Acme Chat");
  // The heading names it: the line above it that also did is gone.
  expect(await visitor.page.getByTestId("server-name").count()).toBe(0);
  await root.page.reload();
  await expectText(root.page.locator(".welcome h1"), "Welcome to Acme Chat");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("do not disturb shows as a moon in my user menu, says until when, and turns off from there", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const menu = alice.page.locator(".user-menu");
  expect(await menu.getByTestId("dnd-status").count()).toBe(0);
  // Set on another device (or the dashboard): this page hears of it and shows it.
  const until = Date.now() + 3_600_000;
  await stage.call(alice, "PATCH", "/api/notifications", { dndUntil: until });
  const time = await alice.page.evaluate((end) => {
    const sameDay = new Date(end).toDateString() === new Date().toDateString();
    return sameDay ? new Intl.DateTimeFormat("en-US", { timeStyle: "short" }).format(end) : null;
  }, until);
  const moon = menu.getByRole("button", { name: time ? `Do not disturb until ${time}. Turn it off` : /^Do not disturb until .+\. Turn it off$/ });
  await moon.waitFor();
  await moon.click();
  await moon.waitFor({ state: "detached" });
  const { settings } = await stage.call<{ settings: { dndUntil: number | null } }>(alice, "GET", "/api/notifications");
  expect(settings.dndUntil).toBeNull();
  // The focus stays in the user menu, not dropped to the page's top.
  expect(await alice.page.evaluate(() => document.activeElement?.closest(".user-menu") !== null)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a first DM to a stranger says, in the conversation, that they have not accepted it yet; their acceptance clears it", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  const { room } = await stage.call<{ room: { id: number } }>(alice, "POST", "/api/dms", { userIds: [bob.id] });
  await alice.page.goto(`${stage.url}/chat/${room.id}`);
  await send(alice.page, "hello, about the plans");
  const notice = alice.page.getByTestId("awaiting-acceptance");
  await expectText(notice, "Bob Martin hasn't accepted your invitation yet: this conversation appears for them once they do.");
  await expectAccessible(alice.page, "a DM awaiting acceptance");
  await stage.call(bob, "POST", `/api/requests/${room.id}/accept`);
  await notice.waitFor({ state: "detached" });

  // Someone I already talk to is added at once: nothing to wait for.
  const { room: again } = await stage.call<{ room: { id: number } }>(bob, "POST", "/api/dms", { userIds: [alice.id] });
  expect(again.id).toBe(room.id);
  const carol = await stage.person("carol");
  await stage.room(alice, "plans", [carol]);
  const { room: known } = await stage.call<{ room: { id: number } }>(alice, "POST", "/api/dms", { userIds: [carol.id] });
  await alice.page.goto(`${stage.url}/chat/${known.id}`);
  await alice.page.locator("textarea.composer-input").waitFor();
  expect(await notice.count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the Users table's buttons name their person, and the reset link's page says whose account it is for", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  await stage.person("bob", { displayName: "Bob Martin" });
  await alice.page.reload();
  const table = alice.page.locator("section[aria-labelledby=users-title]");
  for (const name of ["Make admin: Bob Martin (@bob)", "Reset password for Bob Martin (@bob)", "Disable Bob Martin (@bob)"]) {
    await table.getByRole("button", { name, exact: true }).waitFor();
  }
  await table.getByRole("button", { name: "Reset password for Bob Martin (@bob)", exact: true }).click();
  await alice.page.getByRole("dialog", { name: "Reset Bob Martin's password?", exact: true }).getByRole("button", { name: "Reset password" }).click();
  const link = (await alice.page.getByTestId("reset-link").textContent())!;

  const helper = await stage.visitor();
  await helper.page.goto(link.startsWith("http") ? link : `${stage.url}${link}`);
  await expectText(helper.page.getByTestId("reset-account"), "For the account of Bob Martin (@bob).");
  await expectAccessible(helper.page, "the reset page");
  // A link that does not work says so at once, before a new password is typed for nothing.
  const stranger = await stage.visitor();
  await stranger.page.goto(`${stage.url}/reset-password#token=${"x".repeat(43)}`);
  await expectText(stranger.page.locator(".form-error"), /^This reset link is not valid/);
  expect(await stranger.page.getByLabel("New password").count()).toBe(0);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("search: from:\"Full Name\" finds them, a typed has:file lights its button, and French reads « » in a placeholder that fits", async () => {
  const stage = current();
  const alice = await stage.person("alice", { locale: "fr-FR" });
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  const room = await stage.room(alice, "plans", [bob]);
  await stage.call(bob, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "the walrus report" });
  const page = alice.page;
  // The header's field shows its whole placeholder on a desktop.
  const header = page.locator(".header-search-input");
  const fits = await header.evaluate((input: HTMLInputElement) => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d")!;
    context.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { text: input.placeholder, width: context.measureText(input.placeholder).width, room };
  });
  expect(fits.width).toBeLessThanOrEqual(fits.room);
  await header.fill('walrus from:"Bob Martin"');
  await header.press("Enter");
  await expectText(page.getByTestId("search-status"), "1 résultat");
  await expectText(page.locator("#search-help"), /Utilisez «\u00a0phrase exacte\u00a0»/);
  expect(await page.locator("#search-help").textContent()).not.toContain('"');

  const withFiles = page.getByRole("button", { name: "Avec fichiers" });
  expect(await withFiles.getAttribute("aria-pressed")).toBe("false");
  const field = page.locator("#search-input");
  await field.fill("walrus has:file");
  await field.press("Enter");
  await expectText(page.getByTestId("search-status"), "Aucun message ne correspond à cette recherche.");
  expect(await withFiles.getAttribute("aria-pressed")).toBe("true");
  // Pressed again, it takes the filter away.
  await withFiles.click();
  await expectText(page.getByTestId("search-status"), "1 résultat");
  expect(await withFiles.getAttribute("aria-pressed")).toBe("false");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("on a phone, in French: the settings header keeps its logo whole, and a thread's 'dernière réponse' never breaks", async () => {
  const stage = current();
  const phone = { width: 375, height: 812 };
  const alice = await stage.person("alice", { viewport: phone, locale: "fr-FR", path: "/dashboard" });
  const mark = alice.page.locator(".dashboard-header .logo-mark");
  const box = (await mark.boundingBox())!;
  expect([box.width, box.height]).toEqual([30, 30]);
  expect(await overflowX(alice.page)).toBe(false);

  const bob = await stage.person("bob", { displayName: "Bérénice Montgolfier-Duchamp" });
  const room = await stage.room(bob, "plans", [alice]);
  const post = (body: string, threadRootId?: number) =>
    stage.call<{ message: { id: number } }>(bob, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body, threadRootId });
  const { message } = await post("Which font for the posters?");
  await post("Inter, I think", message.id);
  await post("or Source Sans", message.id);
  await alice.page.goto(`${stage.url}/chat/${room.id}`);
  const last = alice.page.locator(".thread-summary .thread-last");
  await expectText(last, /^dernière réponse à /);
  // One line box for the whole phrase: it may go below the count, not break inside.
  const lines = await last.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });
  expect(lines).toBe(1);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("one person's avatar shows the same initials in the sidebar and beside their messages", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob", { displayName: "Bob Martin" });
  await stage.room(alice, "plans", [bob]);
  const { room } = await stage.call<{ room: { id: number } }>(alice, "POST", "/api/dms", { userIds: [bob.id] });
  await stage.call(bob, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "hi" });
  await alice.page.goto(`${stage.url}/chat/${room.id}`);
  const inMessages = alice.page.locator(`.message-gutter .avatar[data-user-id="${bob.id}"]`).first();
  const inSidebar = alice.page.locator(`#sidebar .avatar[data-user-id="${bob.id}"]`).first();
  await expectText(inMessages, "BM");
  await expectText(inSidebar, "BM");
  // Two letters fit the small square.
  expect(await inSidebar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a shorter retention asks first, saying what it deletes; a longer one saves at once", async () => {
  const stage = current();
  const alice = await stage.person("alice", { path: "/dashboard?tab=server" });
  const page = alice.page;
  const saved = async () => (await stage.call<{ messageDays: number | null }>(alice, "GET", "/api/admin/retention")).messageDays;
  const section = page.locator("section[aria-labelledby=retention-title]");
  await section.getByLabel("Delete messages after (days)").fill("30");
  await section.getByRole("button", { name: "Save" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete older messages and files?" });
  await expectText(dialog.locator("p"), "Messages older than 30 days will be deleted, in every room without its own setting. This cannot be undone.");
  await expectAccessible(page, "retention confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(await saved()).toBeNull();

  await section.getByRole("button", { name: "Save" }).click();
  await dialog.getByRole("button", { name: "Delete and save" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(await saved()).toBe(30);
  // Keeping more than before deletes nothing new: no question.
  await section.getByLabel("Delete messages after (days)").fill("60");
  await section.getByRole("button", { name: "Save" }).click();
  await page.getByText("Retention saved.").last().waitFor();
  expect(await page.getByRole("dialog").count()).toBe(0);
  expect(await saved()).toBe(60);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the audit log names what an entry is about, says what a retention change changed, and labels its cells on a phone", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "plans", [bob], "public");
  await stage.call(alice, "POST", `/api/rooms/${room.id}/bans`, { userId: bob.id });
  await stage.call(alice, "PUT", "/api/admin/retention", { messageDays: 90, fileDays: null });
  await stage.call(alice, "PUT", "/api/admin/retention", { messageDays: 30, fileDays: null });
  await stage.call(alice, "PUT", `/api/rooms/${room.id}/retention`, { retentionDays: 7, disappearHours: null });
  await alice.page.goto(`${stage.url}/dashboard?tab=server`);
  const audit = alice.page.getByTestId("audit");
  const rows = audit.locator("tbody tr");
  await rows.first().waitFor();
  const row = (action: string) => rows.filter({ has: alice.page.getByRole("cell", { name: action }) });
  // Newest first: the room's retention, the server's, the ban.
  const [roomChange, serverChange] = [row("Retention changed").nth(0), row("Retention changed").nth(1)];
  // innerText: what shows (each cell's column name is hidden on a desktop).
  const about = (cell: Locator) => cell.locator("td").nth(3).innerText();
  expect(await about(roomChange)).toBe("#plans");
  await expectText(roomChange.locator(".audit-detail").first(), "Messages: forever → 7 days");
  await expectText(serverChange.locator(".audit-detail").first(), "Messages: 90 days → 30 days");
  expect(await about(row("Banned from a room").first())).toBe("@bob");
  await expectAccessible(alice.page, "audit log");

  // On a phone the head is hidden and the cells stack: each says which column it is.
  const phone = await stage.visitor({ viewport: { width: 375, height: 812 } });
  await phone.context.addCookies(await alice.context.cookies());
  await phone.page.goto(`${stage.url}/dashboard?tab=server`);
  const first = phone.page.getByTestId("audit").locator("tbody tr").first();
  await first.waitFor();
  const cells = await first.locator("td").evaluateAll((tds) => tds.map((td) => (td as HTMLElement).innerText.replace(/\s+/g, " ").trim()));
  expect(cells.map((text) => text.split(":")[0])).toEqual(["When", "Action", "Who", "About", "Address"]);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a reported file shows its file, in the room's timeline without the thread replies written meanwhile", async () => {
  const stage = current();
  const admin = await stage.person("admin", { path: "/dashboard?tab=server" });
  const bob = await stage.person("bob");
  const carol = await stage.person("carol");
  const room = await stage.room(bob, "general", [carol], "public");
  const post = (who: { cookie: string }, body: string, threadRootId?: number) =>
    stage.call<{ message: { id: number } }>(who, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body, threadRootId });
  const { message: root } = await post(bob, "Minutes of Monday?");
  await post(carol, "an aside in the thread", root.id);
  const uploaded = await callApi(stage.url, carol.cookie, "POST", `/api/rooms/${room.id}/files?name=minutes.txt`, new TextEncoder().encode("minutes"), "application/octet-stream");
  const { message: file } = (await uploaded.json()) as { message: { id: number } };
  await post(bob, "Thanks!");
  await stage.call(bob, "POST", `/api/messages/${file.id}/report`, { reason: "Wrong file" });

  await admin.page.reload();
  const context = admin.page.getByTestId("report").first().getByRole("list", { name: "The message in context" });
  await expectText(context.locator("[aria-current=true]"), /File: minutes\.txt \(7 B\)/);
  await expectText(context, /Minutes of Monday\?[\s\S]*minutes\.txt[\s\S]*Thanks!/);
  expect(await context.textContent()).not.toContain("an aside in the thread");
  await expectAccessible(admin.page, "a reported file");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("people I asked into a private room are named there until they accept", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const carol = await stage.person("carol", { displayName: "Carol Diaz" });
  await stage.room(alice, "plans");
  await alice.page.getByRole("button", { name: "Add people" }).first().click();
  const dialog = alice.page.getByRole("dialog", { name: /^Add people to/ });
  await dialog.getByLabel("Who should join?").fill("carol");
  await dialog.getByRole("button", { name: /@carol/ }).click();
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  const notice = alice.page.getByTestId("awaiting-acceptance");
  await expectText(notice, "Carol Diaz hasn't accepted your invitation to this room yet.");
  const { requests } = await stage.call<{ requests: { roomId: number }[] }>(carol, "GET", "/api/requests");
  await stage.call(carol, "POST", `/api/requests/${requests[0]!.roomId}/accept`);
  await notice.waitFor({ state: "detached" });
  expect(stage.problems()).toEqual([]);
}, STEP);
