// Browse rooms against the compiled binary in Chromium, with more public rooms than one page: the
// dialog shows the first page, finds a room of a later page by asking the server, and loads the
// rest with "Load more rooms".
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { DEFAULT_PUBLIC_ROOMS_LIMIT } from "../../src/protocol.ts";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { callApi, eventually, expectText, logIn, problemsOf, registerByApi as registerByApiAt, type Person } from "./web-helpers.ts";

const ROOMS = DEFAULT_PUBLIC_ROOMS_LIMIT + 5;

let server: RunningBinary;
let browser: Browser;
let carol: Person;

const call = (cookie: string | null, method: string, path: string, body?: unknown) =>
  callApi(server.url, cookie, method, path, JSON.stringify(body));
const registerByApi = (username: string) => registerByApiAt(server.url, username);

beforeAll(async () => {
  server = await startBinary();
  browser = await launchBrowser();
  // Room creation is limited per user (a burst of 30): two people share the work.
  const makers = [await registerByApi("alice"), await registerByApi("bob")];
  await registerByApi("carol");
  for (let i = 1; i <= ROOMS; i++) {
    await call(makers[i % 2]!, "POST", "/api/rooms", { kind: "public", name: `room ${String(i).padStart(2, "0")}` });
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("the directory shows a page, searches on the server, and loads more on request", async () => {
  carol = await logIn(browser, server.url, "carol");
  await carol.page.getByRole("button", { name: "Browse rooms" }).first().click();
  const dialog = carol.page.getByRole("dialog", { name: "Browse rooms" });
  const items = dialog.locator(".browse-item");
  const more = dialog.getByRole("button", { name: "Load more rooms" });
  await more.waitFor();
  expect(await items.count()).toBe(DEFAULT_PUBLIC_ROOMS_LIMIT);
  await expectText(items.first().locator(".browse-name"), "room 01");

  // A room beyond the first page is found by name.
  await dialog.getByRole("searchbox").fill("ROOM 53");
  await eventually(() => items.allTextContents(), (texts) => texts.length === 1 && texts[0]!.includes("room 53"));
  await expect(more.count()).resolves.toBe(0);

  await dialog.getByRole("searchbox").fill("");
  await more.waitFor();
  await more.click();
  await eventually(() => items.count(), (count) => count === ROOMS);
  await expectText(items.last().locator(".browse-name"), `room ${ROOMS}`);
  expect(await more.count()).toBe(0);
  await screenshot(carol.page, "browse-rooms-paged");

  await dialog.getByRole("button", { name: "Join room 55" }).click();
  await expectText(carol.page.locator(".conversation-name"), "room 55");
  expect(problemsOf(carol)).toEqual([]);
}, 60_000);
