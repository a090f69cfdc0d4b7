// A long conversation in real Chromium against the compiled binary: the newest page first, older
// ones loading on the way up without moving what is being read, and a new message waiting behind a
// pill while scrolled up. Its own server (stage.ts), with a message rate that lets the setup through.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, expectText, send } from "./web-helpers.ts";

// 80 messages are posted to set the scene; the rate limit is not what this journey is about.
const current = stagePerTest({ args: ["--message-rate", "200"] });

test("older history loads while scrolling up without moving what I read; new messages wait behind a pill", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const create = alice.page.getByRole("dialog", { name: "Create a room" });
  await create.getByLabel("Name").fill("history");
  await create.getByRole("button", { name: "Create room" }).click();
  await expectText(alice.page.locator(".conversation-name"), "history");
  // Bob is invited afterwards, from the room's header.
  await alice.page.locator(".conversation-header").getByRole("button", { name: "Add people" }).click();
  const invite = alice.page.getByRole("dialog", { name: "Add people to #history" });
  await invite.getByLabel("Who should join?").fill("bo");
  await invite.getByRole("button", { name: /@bob/ }).click();
  await invite.getByRole("button", { name: "Add", exact: true }).click();
  // Bob has never talked to Alice: he is asked, and accepts from his sidebar (issue 21 §4).
  await expectText(alice.page.locator(".toast").last(), "1 person was invited to #history and joins once they accept.");
  await bob.page.getByTestId("requests").getByRole("button", { name: "Accept" }).click();
  await expectText(alice.page.locator(".conversation-header .members-button"), "2");
  const roomId = Number(alice.page.url().split("/").pop());
  // Accepting opened the room for Bob; he goes elsewhere so that what follows arrives unread.
  await bob.page.goto(`${stage.url}/dashboard`);

  for (let i = 1; i <= 80; i++) {
    await stage.call(alice, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body: `line ${i}` });
  }
  await expectText(bodies(alice.page).last(), "line 80");

  await bob.page.goto(`${stage.url}/chat/${roomId}`);
  await expectText(bodies(bob.page).last(), "line 80");
  // Bob had not read any of it: the unread divider is shown.
  await bob.page.getByTestId("unread-divider").waitFor();

  // Coming back later, the newest page is shown at the bottom, the older ones load on the way up.
  await bob.page.reload();
  await expectText(bodies(bob.page).last(), "line 80");
  const scroller = bob.page.getByTestId("messages");
  expect(await bodies(bob.page).first().textContent()).toBe("line 31");
  const anchor = bob.page.locator(".message-body", { hasText: /^line 31$/ });
  await scroller.evaluate((el) => (el.scrollTop = 0));
  await expectText(bodies(bob.page).first(), "line 1");
  // The message that was at the top is still in view, not thrown off by the 30 inserted above it.
  const top = await anchor.evaluate((el) => el.getBoundingClientRect().top);
  const box = await scroller.evaluate((el) => ({ top: el.getBoundingClientRect().top, height: el.clientHeight }));
  expect(top).toBeGreaterThanOrEqual(box.top);
  expect(top).toBeLessThan(box.top + box.height / 2);

  // Scrolled up, a new message does not pull Bob down: a "new messages" pill appears instead.
  await scroller.evaluate((el) => (el.scrollTop = 0));
  await send(alice.page, "line 81");
  const pill = bob.page.getByRole("button", { name: "New messages" });
  await pill.waitFor();
  await pill.click();
  await pill.waitFor({ state: "detached" });
  const atBottom = await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 50);
  expect(atBottom).toBe(true);
  expect(stage.problems()).toEqual([]);
}, 120_000);
