// Pins and permalinks in real Chromium against the compiled binary: a pinned message is listed in
// the room header's "Pinned" list and jumping to it loads the history around it and highlights it;
// a message link opened cold, in a new browser, lands on the message after logging in; someone who
// is not in the room gets the usual not-found view.
import { expect, test } from "bun:test";
import type { Message } from "../../src/protocol.ts";
import { newPerson, watchedPage } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { bodies, expectText, logInOnPage, onScreen, problemsOf, send, openMessageMenu } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

/** `count` messages by `person` in `roomId` over HTTP (a long history to jump into). */
async function postMany(stage: ReturnType<typeof current>, person: { cookie: string }, roomId: number, count: number, label: string): Promise<Message[]> {
  const posted: Message[] = [];
  for (let i = 0; i < count; i++) {
    const { message } = await stage.call<{ message: Message }>(person, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: `${label} ${i}` });
    posted.push(message);
  }
  return posted;
}

test("a pinned message is listed in the header and jumping to it loads the history around it", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "design", [bob]);
  await send(alice.page, "The decision: we use SQLite by default");
  const decision = alice.page.locator("[data-testid=messages] .message").filter({ hasText: "The decision" });
  await (await openMessageMenu(decision)).getByRole("menuitem", { name: "Pin the message" }).click();
  await expectText(bob.page.locator("[data-testid=messages] .message-pinned"), "Pinned by alice");

  // Much later, far down the history (the rate limits allow a person ~30 at once: two people post).
  await postMany(stage, alice, room.id, 25, "later from alice");
  await postMany(stage, bob, room.id, 25, "later from bob");
  await bob.page.reload();
  await expectText(bodies(bob.page).last(), "later from bob 24");
  // Far out of sight (a page of history is 50 messages; on a loaded machine an older page may already
  // be in the list, but never on screen at the bottom of the room).
  const decisionForBob = bob.page.locator("[data-testid=messages] .message").filter({ hasText: "The decision" });
  expect((await decisionForBob.count()) === 0 || !(await onScreen(decisionForBob))).toBe(true);

  await bob.page.getByRole("button", { name: "Pinned messages" }).click();
  const list = bob.page.getByRole("dialog", { name: "Pinned messages" });
  await list.getByRole("button", { name: /^Go to the message from alice: .*The decision: we use SQLite by default/ }).click();
  // Highlighted for a moment, and on screen.
  const target = bob.page.locator("[data-testid=messages] .message").filter({ hasText: "The decision: we use SQLite by default" });
  await bob.page.locator("[data-testid=messages] .message.highlighted").filter({ hasText: "The decision" }).waitFor();
  expect(await onScreen(target)).toBe(true);
  // Scrolling down from there reaches the present again.
  await bob.page.getByTestId("messages").evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expectText(bodies(bob.page).last(), "later from bob 24");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a message link opened cold in a new browser lands on the message after logging in; a stranger gets not found", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "design", [bob]);
  await send(alice.page, "Remember this one");
  await postMany(stage, alice, room.id, 25, "noise from alice");
  await postMany(stage, bob, room.id, 25, "noise from bob");
  await alice.page.reload();
  await expectText(bodies(alice.page).last(), "noise from bob 24");

  // Alice copies the link of her first message (scrolled to it first).
  await alice.context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const first = alice.page.locator("[data-testid=messages] .message").filter({ hasText: "Remember this one" });
  const messages = alice.page.getByTestId("messages");
  for (let i = 0; i < 20 && (await first.count()) === 0; i++) await messages.evaluate((el) => (el.scrollTop = 0));
  await first.scrollIntoViewIfNeeded();
  await (await openMessageMenu(first)).getByRole("menuitem", { name: "Copy a link to the message" }).click();
  const link = await alice.page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${stage.url}/chat/r/${room.id}/m/\\d+$`));

  // Bob, on another computer: the link asks him to log in, then shows the message.
  const context = await newPerson((alice.context.browser())!);
  const watched = await watchedPage(context);
  const { page } = watched;
  await page.goto(link);
  await page.waitForURL(/\/login\?next=/);
  await logInOnPage(page, stage.url, "bob");
  await page.locator("[data-testid=messages] .message.highlighted").filter({ hasText: "Remember this one" }).waitFor();
  expect(await onScreen(page.locator("[data-testid=messages] .message").filter({ hasText: "Remember this one" }))).toBe(true);
  expect(problemsOf(watched)).toEqual([]);

  // Carol, not in the room: the usual not-found view, nothing of the room.
  const carol = await stage.person("carol", { path: new URL(link).pathname });
  await expectText(carol.page.getByRole("heading", { level: 1 }), "Conversation not found");
  expect(await carol.page.locator("[data-testid=messages]").count()).toBe(0);
  await context.close();
  expect(stage.problems()).toEqual([]);
}, STEP);
