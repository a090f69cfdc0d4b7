// Threads in real Chromium against the compiled binary, two people: a reply appears live in the
// other's open thread panel and on the root's summary, the panel passes axe (WCAG 2.2 AA and best
// practice), and on a 375×812 phone the thread is a full-screen view with a way back.
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { bodies, expectHidden, expectNoAxeViolations, expectText, overflowX, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

test("a reply in a thread appears live in the other person's thread panel, and on the root", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await send(alice.page, "Shall we ship on Friday?");
  await expectText(bodies(bob.page).last(), "Shall we ship on Friday?");

  // Both open the thread of Alice's message.
  for (const person of [alice, bob]) {
    const root = person.page.locator("[data-testid=messages] .message").filter({ hasText: "Shall we ship on Friday?" });
    await root.hover();
    await root.getByRole("button", { name: "Reply in a thread" }).click();
    await person.page.getByTestId("thread-panel").getByRole("heading", { name: "Thread" }).waitFor();
  }
  const bobPanel = bob.page.getByTestId("thread-panel");
  await bobPanel.getByRole("textbox", { name: "Reply in the thread" }).fill("Friday works for me");
  await bobPanel.getByRole("textbox", { name: "Reply in the thread" }).press("Enter");

  const alicePanel = alice.page.getByTestId("thread-panel");
  await expectText(alicePanel.locator(".thread-replies .message-body").last(), "Friday works for me");
  await expectText(alicePanel.locator(".thread-divider"), "1 reply");
  // The root in the room shows the count and who replied; the reply is not in the room's timeline.
  const summary = alice.page.locator("[data-testid=messages] .thread-summary");
  await expectText(summary.locator(".thread-count"), "1 reply");
  expect(await summary.locator(".avatar").count()).toBe(1);
  expect(await bodies(alice.page).allTextContents()).toEqual(["Shall we ship on Friday?"]);

  // "Also send to the room": the reply shows in both.
  await alicePanel.getByLabel("Also send to the room").check();
  await alicePanel.getByRole("textbox", { name: "Reply in the thread" }).fill("Great, Friday it is");
  await alicePanel.getByRole("textbox", { name: "Reply in the thread" }).press("Enter");
  await expectText(bodies(bob.page).last(), "Great, Friday it is");
  await expectText(bobPanel.locator(".thread-replies .message-body").last(), "Great, Friday it is");
  await expectText(bob.page.locator("[data-testid=messages] .thread-count"), "2 replies");

  await expectNoAxeViolations(alice.page, "[data-testid=thread-panel]", "thread panel");
  await screenshot(alice.page, "thread-panel");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("on a 375×812 phone a thread is a full-screen view with a way back to the room", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 } });
  const bob = await stage.person("bob");
  await stage.room(alice, "random", [bob]);
  await send(bob.page, "A question for the thread");
  await expectText(bodies(alice.page).last(), "A question for the thread");

  const root = alice.page.locator("[data-testid=messages] .message").filter({ hasText: "A question for the thread" });
  await root.click();
  await root.getByRole("button", { name: "Reply in a thread" }).click();
  const panel = alice.page.getByTestId("thread-panel");
  await panel.getByRole("heading", { name: "Thread" }).waitFor();
  // Full screen: the panel covers the viewport.
  const box = (await panel.boundingBox())!;
  expect({ x: box.x, y: box.y, width: box.width, height: box.height }).toEqual({ x: 0, y: 0, width: 375, height: 812 });
  expect(await overflowX(alice.page)).toBe(false);
  await panel.getByRole("textbox", { name: "Reply in the thread" }).fill("Answered from my phone");
  await panel.getByRole("button", { name: "Send" }).click();
  await expectText(panel.locator(".thread-replies .message-body").last(), "Answered from my phone");
  await screenshot(alice.page, "thread-375x812");
  await expectNoAxeViolations(alice.page, "[data-testid=thread-panel]", "phone thread view");

  await panel.getByRole("button", { name: "Back to the conversation" }).click();
  await expectHidden(panel);
  await expectText(alice.page.locator("[data-testid=messages] .thread-count"), "1 reply");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a thread with unread replies, opened from the Threads view, shows beside its room", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "design", [bob]);
  const { message } = await stage.call<{ message: { id: number } }>(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "Which font?" });
  await stage.call(bob, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "Inter, I think", threadRootId: message.id });
  const page = alice.page;
  const threads = page.locator("#sidebar").getByRole("link", { name: /Threads/ });
  await expectText(threads, /1/);
  await threads.click();
  await page.getByRole("button", { name: /Which font\?/ }).click();
  const panel = page.getByTestId("thread-panel");
  await expectText(panel.locator(".thread-replies .message-body").last(), "Inter, I think");
  expect(page.url()).toBe(`${stage.url}/chat/${room.id}`);
  expect(stage.problems()).toEqual([]);
}, STEP);
