// Issue 21, §6 as a person sees it in Chromium, against the compiled binary: two people who share a
// display name (older data: the server refuses that now) are told apart by "@username" beside the
// name and by avatars of different colours; a deleted account is shown as "deleted user" because the
// server says so, while a live account whose username merely looks like one keeps its name.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { callApi, expectAccessible, expectText, logIn, PASSWORD, problemsOf, registerByApi, type Person } from "./web-helpers.ts";

let server: RunningBinary;
let browser: Browser;
let dave: Person;
let roomId: number;
const ids: Record<string, number> = {};

const call = (cookie: string | null, method: string, path: string, body?: unknown) =>
  callApi(server.url, cookie, method, path, body === undefined ? undefined : JSON.stringify(body));

beforeAll(async () => {
  server = await startBinary();
  browser = await launchBrowser();
  const cookies: Record<string, string> = {};
  for (const name of ["alice", "bob", "carol", "dave", "erin", "frank"]) {
    cookies[name] = await registerByApi(server.url, name);
    ids[name] = ((await (await call(cookies[name]!, "GET", "/api/me")).json()) as { user: { id: number } }).user.id;
  }
  await call(cookies.alice!, "PATCH", "/api/account", { displayName: "Sam" });
  // The server now refuses a second "Sam" (409 display_name_confusable)...
  const refused = await fetch(`${server.url}/api/account`, {
    method: "PATCH",
    body: JSON.stringify({ displayName: "Sam" }),
    headers: { cookie: cookies.bob!, origin: server.url, "content-type": "application/json" },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  expect(refused.status).toBe(409);
  // ...so the older data that still holds one is written straight into the running server's database,
  // with a live account renamed "deleted-99" the way an old server allowed.
  const db = new Database(join(server.dataDir, "vaultroom.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  db.query("UPDATE users SET display_name = 'Sam', display_skeleton = 'sarn' WHERE id = ?").run(ids.bob!);
  db.query("UPDATE users SET username = 'deleted-99', username_key = 'deleted-99', skeleton = 'deleted-99' WHERE id = ?").run(ids.frank!);
  db.close();

  const created = await call(cookies.carol!, "POST", "/api/rooms", { kind: "public", name: "who is who" });
  roomId = ((await created.json()) as { room: { id: number } }).room.id;
  for (const name of ["alice", "bob", "dave", "erin", "frank"]) await call(cookies[name]!, "POST", `/api/rooms/${roomId}/join`);
  const post = (name: string, body: string) => call(cookies[name]!, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body });
  await post("alice", "from the first Sam");
  await post("bob", "from the second Sam");
  await post("carol", "from carol");
  await post("erin", "before leaving");
  await post("frank", "still here");
  await call(cookies.erin!, "DELETE", "/api/account", { password: PASSWORD });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The author line of the message whose body is `body`. */
const messageWith = (body: string) => dave.page.locator("article.message", { has: dave.page.locator(".message-body", { hasText: body }) });

test("two people named Sam show their @username and avatars of different colours", async () => {
  dave = await logIn(browser, server.url, "dave");
  await dave.page.goto(`${server.url}/chat/${roomId}`);
  await expectText(messageWith("from the first Sam").locator(".message-author"), "Sam");
  await expectText(messageWith("from the first Sam").locator(".message-handle"), "@alice");
  await expectText(messageWith("from the second Sam").locator(".message-handle"), "@bob");
  // Nobody reads like carol: no handle there.
  expect(await messageWith("from carol").locator(".message-handle").count()).toBe(0);

  const colourOf = (id: number) =>
    dave.page.locator(`.message-gutter .avatar[data-user-id="${id}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
  const [aliceColour, bobColour] = [await colourOf(ids.alice!), await colourOf(ids.bob!)];
  expect(aliceColour).not.toBe(bobColour);
  expect(await dave.page.locator(`.message-gutter .avatar[data-user-id="${ids.alice}"]`).first().textContent()).toBe(
    await dave.page.locator(`.message-gutter .avatar[data-user-id="${ids.bob}"]`).first().textContent(),
  );
  // The screen-reader label carries the handle too.
  expect(await messageWith("from the second Sam").getAttribute("aria-label")).toContain("Sam (@bob)");
  await screenshot(dave.page, "names-apart");
}, 60_000);

test("the deleted account is 'deleted user' from the server's flag; a live 'deleted-99' keeps its name", async () => {
  await expectText(messageWith("before leaving").locator(".message-author"), "deleted user");
  await expectText(messageWith("still here").locator(".message-author"), "deleted-99");
}, 30_000);

test("no CSP violation (the avatar colour is set through the CSSOM) and the page stays accessible", async () => {
  await expectAccessible(dave.page, "room with look-alike names");
  expect(problemsOf(dave)).toEqual([]);
}, 60_000);
