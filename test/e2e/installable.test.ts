// VaultRoom as an installable app (issue 12), in real Chromium against the compiled binary: the
// service worker registers (navigator.serviceWorker.ready), the manifest has what installing needs
// (Chromium's own installability check finds nothing missing), and the kept app shell opens the chat
// offline with its reconnect banner. Browsers allow service workers only on a trusted certificate:
// this file's Chromium is started with --ignore-certificate-errors, the test-only way around it.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import { chromium, type Browser } from "playwright-core";
import { openStage, type Stage } from "./stage.ts";

let browser: Browser;
let stage: Stage;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--ignore-certificate-errors"],
  });
});
afterAll(() => browser?.close());
beforeEach(async () => {
  stage = await openStage(browser);
}, 30_000);
afterEach(() => stage?.stop());

test("the service worker registers, the manifest makes the app installable, and the shell opens offline", async () => {
  const alice = await stage.person("alice");
  const design = await stage.room(alice, "design");
  const scope = await alice.page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return { scope: registration.scope, script: registration.active?.scriptURL };
  });
  expect(scope).toEqual({ scope: `${stage.url}/`, script: `${stage.url}/sw.js` });

  const manifest = (await (await fetch(`${stage.url}/manifest.webmanifest`, { tls: { rejectUnauthorized: false } } as RequestInit)).json()) as Record<string, unknown>;
  expect(manifest).toMatchObject({ name: "VaultRoom", short_name: "VaultRoom", display: "standalone", start_url: "/chat", theme_color: "#2f6f5e" });
  const icons = manifest.icons as { src: string; sizes: string; type: string }[];
  expect(icons.filter((i) => i.type === "image/png").map((i) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of icons) {
    const answer = await fetch(stage.url + icon.src, { tls: { rejectUnauthorized: false } } as RequestInit);
    expect({ icon: icon.src, status: answer.status, type: answer.headers.get("content-type") }).toEqual({ icon: icon.src, status: 200, type: icon.type });
  }
  const cdp = await alice.context.newCDPSession(alice.page);
  const { url, errors } = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[] };
  expect(url).toBe(`${stage.url}/manifest.webmanifest`);
  expect(errors).toEqual([]);
  const installability = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
  // Playwright's contexts are off-the-record profiles, which Chromium never installs from: that is
  // the browser's, not the app's. Nothing the app could fix may be listed.
  expect(installability.installabilityErrors.filter((e) => e.errorId !== "in-incognito")).toEqual([]);

  // Controlled by the worker once reloaded; then, offline, the chat still opens from the kept shell.
  await alice.page.reload();
  await alice.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await alice.page.locator(".conversation-name", { hasText: "design" }).waitFor();
  const cached = await alice.page.evaluate(async () => (await (await caches.open("vaultroom-shell-v1")).keys()).map((r) => new URL(r.url).pathname));
  expect(cached.some((path) => path.startsWith("/api/"))).toBe(false);
  expect(cached).toEqual(expect.arrayContaining(["/", "/manifest.webmanifest"]));
  expect(cached.some((path) => path.startsWith("/assets/"))).toBe(true);
  await alice.context.setOffline(true);
  await alice.page.goto(`${stage.url}/chat/${design.id}`);
  await alice.page.getByTestId("reconnecting").waitFor({ timeout: 20_000 });
  await alice.page.locator(".user-menu").waitFor({ state: "attached" });
  await alice.context.setOffline(false);
  await alice.page.getByTestId("reconnecting").waitFor({ state: "detached", timeout: 40_000 });
  const offlineNoise = /ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|Failed to load resource/;
  expect(stage.problems().filter((p) => !offlineNoise.test(p))).toEqual([]);
}, 120_000);
