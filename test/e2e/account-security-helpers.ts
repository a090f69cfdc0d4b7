// Steps shared by the two-factor and passkey journeys: TOTP codes computed by the test from the secret
// the page shows (as a phone would), axe with WCAG 2.2 AA, and the login form driven by its fields.
import { expect } from "bun:test";
import AxeBuilder from "@axe-core/playwright";
import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";

export const codeAt = (secret: string, at: number) =>
  new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret.replace(/\s+/g, "")) }).generate({ timestamp: at });

/** axe-core on the page as it is now: no violation of WCAG 2.0–2.2 A/AA at all. */
export async function expectNoViolation(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const found = results.violations.map((v) => `${what}: ${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n  ")}`);
  expect(found).toEqual([]);
}

/** The password step of the login form (any language: the fields by id). */
export async function passwordStep(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator("#login-username").fill(username);
  await page.locator("#login-password").fill(password);
  await page.locator("form button[type=submit]").click();
}
