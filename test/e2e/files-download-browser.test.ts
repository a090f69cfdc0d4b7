// Real Chromium fetching hostile uploads straight from their download URL, logged in: whatever the
// file holds, no script of it may ever run on VaultRoom's origin.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { SESSION_COOKIE } from "../../src/accounts/session-tokens.ts";
import { startTestServer } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { PNG_1PX, privateRoom, uploaded, users } from "../api/files-helpers.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let context: BrowserContext;
let alice: TestUser;
let roomId: number;

// Each payload tries every way to show it ran: the title, the console, a dialog, a request home.
const SCRIPT = `document.title='pwned';console.log('pwned');alert('pwned');fetch('/api/pwned')`;
const PAYLOADS = {
  html: `<!doctype html><html><head><title>file</title><script>${SCRIPT}</script></head><body><img src=x onerror="${SCRIPT}"></body></html>`,
  svg: `<svg xmlns="http://www.w3.org/2000/svg" onload="${SCRIPT}"><script>${SCRIPT}</script></svg>`,
};

beforeAll(async () => {
  server = await startTestServer();
  [alice] = (await users(server, 1)) as [TestUser];
  roomId = await privateRoom(server, alice);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true });
  await context.addCookies([
    {
      name: SESSION_COOKIE,
      value: alice.cookie.slice(SESSION_COOKIE.length + 1),
      url: server.url,
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
    },
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens a page that records every sign of a script having run. */
async function watchedPage(): Promise<{ page: Page; signs: string[] }> {
  const page = await context.newPage();
  const signs: string[] = [];
  // Chromium's own image viewer logs that the sandbox CSP blocked its inline styles; only the
  // payload's own traces count here.
  page.on("console", (message) => {
    if (message.text().includes("pwned")) signs.push(`console: ${message.text()}`);
  });
  page.on("dialog", (dialog) => {
    signs.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("request", (request) => {
    if (request.url().includes("/api/pwned")) signs.push(`request: ${request.url()}`);
  });
  return { page, signs };
}

describe("hostile uploads opened in Chromium run no script", () => {
  test("(control) the same payload rendered as a page does run, and the watcher sees it", async () => {
    const { page, signs } = await watchedPage();
    await page.setContent(PAYLOADS.html);
    await page.waitForFunction(() => document.title === "pwned");
    expect(signs).toContain("console: pwned");
    expect(signs).toContain("dialog: pwned");
    await page.close();
  });

  for (const [kind, payload] of Object.entries(PAYLOADS)) {
    for (const query of ["", "?inline=1"]) {
      test(`an ${kind.toUpperCase()} file opened at its URL${query} is downloaded, never rendered`, async () => {
        const message = await uploaded(server, alice, roomId, new TextEncoder().encode(payload), { name: `evil.${kind}` });
        const { page, signs } = await watchedPage();
        const download = page.waitForEvent("download");
        // Navigating to an attachment turns into a download: goto fails with "Download is starting".
        const navigation = await page.goto(`${server.url}/api/files/${message.attachment!.id}${query}`).then(
          () => "rendered",
          (error: Error) => error.message,
        );
        expect(navigation).toContain("Download is starting");
        const file = await download;
        expect(file.suggestedFilename()).toBe(`evil.${kind}`);
        expect(await page.title()).not.toBe("pwned");
        expect(page.url()).toBe("about:blank");
        // Run a round trip in the page so any queued console or dialog event has arrived.
        expect(await page.evaluate(() => 1 + 1)).toBe(2);
        expect(signs).toEqual([]);
        await page.close();
      });
    }
  }

  test("an image with HTML and script appended is shown inline as an image, and its script does not run", async () => {
    const polyglot = new Uint8Array([...PNG_1PX, ...new TextEncoder().encode(PAYLOADS.html)]);
    const message = await uploaded(server, alice, roomId, polyglot, { name: "cat.png" });
    const { page, signs } = await watchedPage();
    const response = await page.goto(`${server.url}/api/files/${message.attachment!.id}?inline=1`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()["content-type"]).toBe("image/png");
    // Chromium shows a lone image as a document holding one <img>; nothing of the payload is in the DOM.
    expect(await page.evaluate(() => document.images.length)).toBe(1);
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    expect(await page.title()).not.toBe("pwned");
    expect(signs).toEqual([]);
    await page.close();
  });

  test("without the session cookie the browser gets 401, not the file", async () => {
    const message = await uploaded(server, alice, roomId, new TextEncoder().encode("private"), { name: "private.txt" });
    const stranger = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await stranger.newPage();
    const response = await page.goto(`${server.url}/api/files/${message.attachment!.id}`);
    expect(response!.status()).toBe(401);
    await stranger.close();
  });
});
