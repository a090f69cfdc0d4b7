// One headless Debian Chromium per test file (the machine has 2 cores), driven by playwright-core;
// each simulated person gets a context of their own. Pages are watched for console errors and
// Content-Security-Policy violations, which every e2e test expects to stay empty.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const ARTIFACTS = join(import.meta.dir, "../../test-artifacts");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

export async function newPerson(
  browser: Browser,
  options: { locale?: string; viewport?: { width: number; height: number }; touch?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    locale: options.locale ?? "en-US",
    viewport: options.viewport ?? { width: 1280, height: 800 },
    // A phone: touch input, no hover, the mobile viewport (pointer: coarse, hover: none).
    ...(options.touch ? { hasTouch: true, isMobile: true } : {}),
  });
}

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()} at ${message.location().url}`);
  });
  // With where it was thrown: a minified error's message alone can be a bare class name ("yr").
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}${/\n\s+at .*/.exec(error.stack ?? "")?.[0].replace(/\s+/, " ") ?? ""}`));
  // The listener is installed before any page script runs, in every document of this page.
  await page.exposeFunction("__reportCspViolation", (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
