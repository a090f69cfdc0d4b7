// Talking, in real Chromium against the compiled binary: a DM opened from the online list, a private
// room created with someone invited, a public room found and joined, the history after a reload, and
// the member list. Each test starts its own server and people (test/e2e/stage.ts).
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { bodies, expectText, expectTitle, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 60_000;

test("clicking a person online opens a DM, and messages arrive live both ways", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  const bob = await stage.person("bob");
  await alice.page.getByTestId("online-list").getByRole("button", { name: /bob/ }).click();
  await alice.page.waitForURL(/\/chat\/\d+$/);
  await expectText(alice.page.locator(".conversation-name"), "bob");
  await send(alice.page, "Hi Bob, **welcome** aboard!");
  await expectText(bodies(alice.page).last(), "Hi Bob, welcome aboard!");

  // They have never talked: Bob is asked first (issue 21 §4); accepting opens the DM, where the
  // message waits.
  await bob.page.locator(".request-card").getByRole("button", { name: "Accept" }).click();
  await bob.page.waitForURL(/\/chat\/\d+$/);
  await expectText(bodies(bob.page).last(), "Hi Bob, welcome aboard!");
  await expectText(bob.page.locator(".message-body strong").last(), "welcome");

  // Bob types: Alice sees the typing indicator, then the reply.
  await bob.page.locator("textarea.composer-input").pressSequentially("Thanks", { delay: 20 });
  await expectText(alice.page.locator(".typing-indicator"), /bob is typing/);
  await bob.page.locator("textarea.composer-input").press("Enter");
  await expectText(bodies(alice.page).last(), "Thanks");
  // Screen readers hear it: the polite live region carries the newest message from someone else.
  await expectText(alice.page.getByTestId("announcer"), "bob: Thanks");
  await expectTitle(bob.page, /^\(/, true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a private room created with Bob invited appears for him, and both talk in it", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const dialog = alice.page.getByRole("dialog", { name: "Create a room" });
  await dialog.getByLabel("Name").fill("design");
  await dialog.getByLabel("Topic (optional)").fill("Pixels and words");
  await dialog.getByText("Private", { exact: true }).click();
  await dialog.getByLabel("Invite people (optional)").fill("bob");
  await dialog.getByRole("button", { name: /@bob/ }).click();
  await dialog.getByRole("button", { name: "Create room" }).click();
  await expectText(alice.page.locator(".conversation-name"), "design");
  await expectText(alice.page.locator(".conversation-topic"), "Pixels and words");

  // Alice and Bob have never talked: Bob is asked first (issue 21 §4) and accepts.
  await bob.page.locator(".request-card").getByRole("button", { name: "Accept" }).click();
  const link = bob.page.getByRole("link", { name: /^design/ });
  await link.waitFor();
  await send(alice.page, "First message in design");
  await link.click();
  await expectText(bodies(bob.page).last(), "First message in design");
  await send(bob.page, "Second, from Bob");
  await expectText(bodies(alice.page).last(), "Second, from Bob");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("a public room explains itself while empty, and can be found with Browse rooms and joined", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const create = alice.page.getByRole("dialog", { name: "Create a room" });
  await create.getByLabel("Name").fill("random");
  await create.getByRole("button", { name: "Create room" }).click();
  await expectText(alice.page.locator(".conversation-name"), "random");
  // An empty room explains itself and offers the first step.
  const start = alice.page.getByTestId("room-start");
  await expectText(start.locator("h2"), "This is the beginning of #random");
  await expectText(start, /A public room: anyone on this server can find and join it\. You created it on .*No messages yet\./);
  await start.getByRole("button", { name: "Add people" }).waitFor();

  await bob.page.getByRole("button", { name: "Browse rooms" }).first().click();
  const browse = bob.page.getByRole("dialog", { name: "Browse rooms" });
  await browse.getByRole("button", { name: "Join random" }).click();
  await expectText(bob.page.locator(".conversation-name"), "random");
  await send(bob.page, "Hello random");
  await expectText(bodies(alice.page).last(), "Hello random");
  await expectText(alice.page.locator(".conversation-header .members-button"), "2");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("after a reload the history is still there, in order", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const room = await stage.room(alice, "design", [bob]);
  await send(alice.page, "First message in design");
  await expectText(bodies(bob.page).last(), "First message in design");
  await send(bob.page, "Second, from Bob");
  await expectText(bodies(alice.page).last(), "Second, from Bob");

  await bob.page.reload();
  await expectText(bodies(bob.page).last(), "Second, from Bob");
  expect(await bodies(bob.page).allTextContents()).toEqual(["First message in design", "Second, from Bob"]);
  await bob.page.goto(`${stage.url}/chat/${room.id}`);
  await expectText(bodies(bob.page).first(), "First message in design");
  await expectText(bodies(bob.page).last(), "Second, from Bob");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("the member list shows who is in a room, and opens a DM with one of them", async () => {
  const stage = current();
  const alice = await stage.person("alice", { displayName: "Alice Martin" });
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await bob.page.getByRole("button", { name: "2 members" }).click();
  const members = bob.page.getByRole("dialog", { name: "Members" });
  await expectText(members.locator(".member-name").first(), /Alice Martin|bob/);
  expect((await members.locator(".member-name").allTextContents()).sort()).toEqual(["Alice Martin", "bob (you)"]);
  await members.getByRole("button", { name: "Send a direct message to Alice Martin" }).click();
  await expectText(bob.page.locator(".conversation-name"), "Alice Martin");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("Room settings on a 1280×800 window: every field is reachable and nothing covers the buttons", async () => {
  const stage = current();
  const admin = await stage.person("admin");
  await stage.room(admin, "general", [], "public");
  const page = admin.page;
  await page.locator(".conversation-header").getByRole("button", { name: "Room settings" }).click();
  const dialog = page.getByRole("dialog", { name: "Room settings" });
  // Each button is the element under its own centre (not a paragraph or another button over it).
  for (const name of ["Leave room", "Save", "Export this room", "Save retention"]) {
    const button = dialog.getByRole("button", { name, exact: true });
    await button.scrollIntoViewIfNeeded();
    const onTop = await button.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit !== null && (hit === element || element.contains(hit));
    });
    expect({ name, onTop }).toEqual({ name, onTop: true });
  }
  const box = (await dialog.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(800);
  expect(stage.problems()).toEqual([]);
}, STEP);
