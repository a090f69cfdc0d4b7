// axe-core with the strictest rule sets (WCAG 2.2 AA and best practice, every impact) on every page a
// person reaches — the visitor's pages, the chat with a thread, reactions, a pin and a file, the
// threads view, both dashboard tabs, a page that does not exist — in four ways of seeing them: light,
// dark, French, and a 375 px phone. Issue 19 asks for all of it, not a sample. Each test starts its
// own server (stage.ts).
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import { stagePerTest, type Stage } from "./stage.ts";
import { expectNoAxeViolations } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 120_000;

interface Way {
  name: string;
  locale?: string;
  dark?: boolean;
  viewport?: { width: number; height: number };
}

/** A room with what a day of use leaves in it: text, a mention, a reaction, a pin, a thread, a file. */
async function furnish(stage: Stage, options: { locale?: string; viewport?: { width: number; height: number } }) {
  const alice = await stage.person("alice", options);
  const bob = await stage.person("bob");
  // Unread messages elsewhere, as on any working day: the total is said to screen readers too.
  const elsewhere = await stage.room(bob, "elsewhere", [alice], "public");
  const room = await stage.room(alice, "design", [bob], "public");
  await stage.call(bob, "POST", `/api/rooms/${elsewhere.id}/messages`, { clientId: crypto.randomUUID(), body: "news from elsewhere" });
  const post = (body: string, extra: Record<string, unknown> = {}) =>
    stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body, ...extra }) as Promise<{ message: { id: number } }>;
  const root = await post("**Plans** for the week, @bob `v2`");
  await stage.call(bob, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "Sounds good", threadRootId: root.message.id });
  await stage.call(bob, "PUT", `/api/messages/${root.message.id}/reactions/${encodeURIComponent("👍")}`);
  await stage.call(alice, "PUT", `/api/messages/${root.message.id}/pin`);
  // A code line longer than the list is wide: it must not make a scrolling region of its own.
  await post("```\n" + "const line = 'a long code line';".repeat(12) + "\n```");
  const link = await post("A link: https://example.org/docs");
  // A report waiting for the admin (alice): its solid "Delete the message" button is in the dashboard.
  await stage.call(bob, "POST", `/api/messages/${link.message.id}/report`, { reason: "Spam" });
  return { alice, bob, room, rootId: root.message.id };
}

async function settle(page: Page, ready: string) {
  await page.locator(ready).first().waitFor();
  await page.waitForLoadState("networkidle");
}

async function everyPage(stage: Stage, way: Way) {
  const options = { locale: way.locale, viewport: way.viewport };
  const visitor = await stage.visitor(options);
  if (way.dark) await visitor.page.emulateMedia({ colorScheme: "dark" });
  for (const path of ["/", "/login", "/register", "/reset-password?token=not-a-token", "/no-such-page"]) {
    await visitor.page.goto(stage.url + path);
    await settle(visitor.page, "main h1");
    await expectNoAxeViolations(visitor.page, "body", `${way.name} ${path}`);
  }

  const { alice, room, rootId } = await furnish(stage, options);
  if (way.dark) await alice.page.emulateMedia({ colorScheme: "dark" });
  const page = alice.page;
  await settle(page, "[data-testid=messages] .message-body");
  await page.locator(".reaction").first().waitFor();
  await expectNoAxeViolations(page, "body", `${way.name} chat`);

  // A thread open beside (or over, on a phone) the room.
  await page.goto(`${stage.url}/chat/r/${room.id}/m/${rootId}`);
  await settle(page, "[data-testid=messages] .message-body");
  await page.locator(".thread-summary, [data-testid=thread-summary]").first().click();
  await page.locator(".thread-panel").waitFor();
  await expectNoAxeViolations(page, "body", `${way.name} thread`);

  await page.goto(`${stage.url}/chat/threads`);
  await settle(page, "main");
  await expectNoAxeViolations(page, "body", `${way.name} threads view`);

  for (const path of ["/dashboard", "/dashboard?tab=server"]) {
    await page.goto(stage.url + path);
    await settle(page, ".card h2");
    if (path.includes("server")) await page.getByTestId("report").first().waitFor();
    await expectNoAxeViolations(page, "body", `${way.name} ${path}`);
  }
  expect(stage.problems()).toEqual([]);
}

test("light, 1280 px: every page passes axe's WCAG 2.2 AA and best-practice rules", async () => {
  await everyPage(current(), { name: "light" });
}, STEP);

test("dark, 1280 px: every page passes axe's WCAG 2.2 AA and best-practice rules", async () => {
  await everyPage(current(), { name: "dark", dark: true });
}, STEP);

test("French: every page passes axe's WCAG 2.2 AA and best-practice rules", async () => {
  await everyPage(current(), { name: "fr", locale: "fr-FR" });
}, STEP);

test("a 375 px phone: every page passes axe's WCAG 2.2 AA and best-practice rules", async () => {
  await everyPage(current(), { name: "375px", viewport: { width: 375, height: 812 } });
}, STEP);
