// Bugs a newcomer met in the first ten minutes (issue 19), each replayed as it was found, in
// real Chromium against the compiled binary. Each test failed on the code before its fix.
import { expect, test } from "bun:test";
import type { Page } from "playwright-core";
import type { Message } from "../../src/protocol.ts";
import { stagePerTest, type Member, type Stage } from "./stage.ts";
import { callApi, eventually, expectText, PASSWORD, send } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

/** The requests waiting for `person` are accepted, as they would click Accept (Part B: consent). */
async function acceptRequests(stage: Stage, person: Member): Promise<void> {
  const { requests } = await stage.call<{ requests: { roomId: number }[] }>(person, "GET", "/api/requests");
  for (const request of requests) await stage.call(person, "POST", `/api/requests/${request.roomId}/accept`);
}

async function post(stage: Stage, person: Member, roomId: number, body: string): Promise<Message> {
  const reply = await stage.call<{ message: Message }>(person, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body });
  return reply.message;
}

const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), id: el.id, className: typeof el.className === "string" ? el.className : "" } : null;
  });

test("bug 1: someone added with Add people sees the member count the Members dialog lists", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  // Alice creates a private room through the interface...
  await alice.page.getByRole("button", { name: "New room" }).first().click();
  const create = alice.page.getByRole("dialog", { name: "Create a room" });
  await create.getByLabel("Name").fill("plans");
  await create.getByText("Private", { exact: true }).click();
  await create.getByRole("button", { name: "Create room" }).click();
  await expectText(alice.page.locator(".conversation-name"), "plans");
  // ...and adds Bob with "Add people".
  await alice.page.getByRole("button", { name: "Add people" }).first().click();
  const add = alice.page.getByRole("dialog", { name: "Add people to plans" });
  await add.getByLabel("Who should join?").fill("bob");
  await add.getByRole("button", { name: /@bob/ }).click();
  await add.getByRole("button", { name: "Add", exact: true }).click();
  await add.waitFor({ state: "detached" });
  // Bob had never talked to Alice: the room arrives as a request he accepts.
  await bob.page.getByRole("button", { name: "Accept" }).first().click({ timeout: 15_000 });
  await bob.page.locator("#sidebar").getByRole("link", { name: /plans/ }).click();
  await expectText(bob.page.locator(".conversation-name"), "plans");
  const count = bob.page.locator(".members-button");
  expect(await eventually(() => count.getAttribute("aria-label"), (label) => label === "2 members")).toBe("2 members");
  await count.click();
  // The dialog loads its list: wait for it, then count (count() alone does not wait).
  const items = bob.page.getByRole("dialog", { name: "Members" }).locator(".member-item");
  await items.first().waitFor();
  expect(await eventually(() => items.count(), (n) => n === 2)).toBe(2);
  // Still 2 once the live events have all arrived.
  await bob.page.keyboard.press("Escape");
  await send(alice.page, "hello bob");
  await expectText(bob.page.locator("[data-testid=messages] .message-body").last(), "hello bob");
  expect(await count.getAttribute("aria-label")).toBe("2 members");
  expect(stage.problems()).toEqual([]);
}, STEP);

test("bug 2: editing a file-only message keeps the file in view and saves a caption", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const room = await stage.room(alice, "files");
  await callApi(stage.url, alice.cookie, "POST", `/api/rooms/${room.id}/files?name=notes.txt`, new TextEncoder().encode("the notes"), "application/octet-stream");
  const message = alice.page.locator("[data-testid=messages] article.message").last();
  await message.getByTestId("file-preview").waitFor();
  await message.hover();
  await message.getByRole("button", { name: "Edit message" }).click();
  const editor = alice.page.getByLabel("Edit your message");
  await editor.waitFor();
  // The attachment stays visible while its caption is edited.
  expect(await message.getByTestId("file-preview").isVisible()).toBe(true);
  await editor.fill("The meeting notes");
  await alice.page.getByRole("button", { name: "Save" }).click();
  // "(edited)" follows the text inline (issue 19 §16).
  await expectText(message.locator(".message-body"), "The meeting notes (edited)");
  expect(await message.getByTestId("file-preview").isVisible()).toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("bug 3: on a phone, a room always opens at its newest message, clear of the composer", async () => {
  const stage = current();
  const alice = await stage.person("alice", { viewport: { width: 375, height: 812 }, touch: true });
  const page = alice.page;
  const talk = await stage.room(alice, "long talk", [], "public");
  const other = await stage.room(alice, "other", [], "public");
  // Lines of every length, so the list's height depends on wrapping at this width.
  // Past a person's message rate the server says to wait: wait as told and go on.
  const patiently = async (roomId: number, body: string) => {
    for (;;) {
      try {
        return await post(stage, alice, roomId, body);
      } catch (error) {
        if (!String(error).includes(" 429 ")) throw error;
        await Bun.sleep(1100);
      }
    }
  };
  for (let i = 1; i <= 40; i++) await patiently(talk.id, `${i}: ${"a few words that wrap on a narrow screen ".repeat(1 + (i % 5))}`);
  await patiently(other.id, "elsewhere");
  const settled = () =>
    page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>("[data-testid=messages]")!;
      const last = [...scroller.querySelectorAll("article.message")].at(-1)!.getBoundingClientRect();
      const composer = document.querySelector(".composer-input")!.getBoundingClientRect();
      return { gap: Math.round(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight), clear: last.bottom <= composer.top + 1 };
    });
  // Opened from the drawer again and again (the report: 3 of 7 tries stopped ~72 px short).
  for (let round = 0; round < 7; round++) {
    for (const name of ["other", "long talk"]) {
      await page.getByRole("button", { name: "Open the room list" }).click();
      await page.locator("#sidebar").getByRole("link", { name: new RegExp(`^${name}`) }).click();
      await expectText(page.locator(".conversation-name"), name);
    }
    await expectText(page.locator("article.message").last(), /^.*40: /s);
    // After the layout has settled (fonts, the drawer's animation), not only at the first frame.
    await page.waitForTimeout(300);
    expect({ round, ...(await settled()) }).toEqual({ round, gap: expect.any(Number), clear: true });
    expect((await settled()).gap).toBeLessThanOrEqual(2);
  }
  expect(stage.problems()).toEqual([]);
}, STEP);

test("bug 4: right after Disable, the Users table stops showing the person online", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const carol = await stage.person("carol");
  await carol.page.locator(".user-menu").waitFor({ state: "attached" });
  await alice.page.goto(`${stage.url}/dashboard?tab=server`);
  const row = alice.page.locator("section[aria-labelledby=users-title] tr", { has: alice.page.getByRole("cell", { name: "carol", exact: true }) });
  await row.getByText("Online", { exact: true }).waitFor();
  await row.getByRole("button", { name: "Disable" }).click();
  await alice.page.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
  await row.getByText("Disabled", { exact: true }).waitFor();
  const tags = await eventually(() => row.locator(".tag").allTextContents(), (list) => !list.includes("Online"), 3000);
  expect(tags).toEqual(["Disabled"]);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("bug 5: Esc in the message editor keeps focus in the conversation", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  await stage.room(alice, "focus");
  await send(alice.page, "a message to edit");
  const message = alice.page.locator("[data-testid=messages] article.message").last();
  await expectText(message.locator(".message-body"), "a message to edit");
  await message.hover();
  await message.getByRole("button", { name: "Edit message" }).click();
  await alice.page.getByLabel("Edit your message").waitFor();
  await alice.page.keyboard.press("Escape");
  await alice.page.getByLabel("Edit your message").waitFor({ state: "detached" });
  const where = await focused(alice.page);
  expect(where?.tag).not.toBe("body");
  // Back on the message that was being edited (or the composer): never lost to the page.
  expect(where?.tag === "article" || where?.className === "composer-input").toBe(true);
  expect(stage.problems()).toEqual([]);
}, STEP);

test("bug 5: a refused password at registration keeps focus on the field, marks it invalid and shows the broken rule", async () => {
  const stage = current();
  await stage.person("alice");
  const visitor = await stage.visitor();
  await visitor.page.goto(`${stage.url}/register`);
  await visitor.page.getByLabel("Username").fill("dave");
  const password = visitor.page.getByLabel("Password", { exact: true });
  await password.fill("1234567890");
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await visitor.page.getByRole("alert").waitFor();
  expect(await focused(visitor.page)).toMatchObject({ tag: "input", id: "register-password" });
  expect(await password.getAttribute("aria-invalid")).toBe("true");
  const rule = visitor.page.locator("#register-password-rules li", { hasText: "Not a commonly used password" });
  expect(await rule.getAttribute("data-state")).toBe("failed");
  expect(await rule.textContent()).toMatch(/not met/i);
  // A good password then goes through; the refusal, about the old one, goes with it, and the
  // username rule is seen met.
  await password.fill(PASSWORD);
  expect(await password.getAttribute("aria-invalid")).not.toBe("true");
  expect(await visitor.page.getByRole("alert").count()).toBe(0);
  expect(await visitor.page.locator("#register-password-rules li", { hasText: "Not the same as your username" }).getAttribute("data-state")).toBe("met");
  await visitor.page.getByRole("button", { name: "Create account" }).click();
  await visitor.page.waitForURL(/\/chat/);
  // The refusal itself is the one request the browser reports as failed.
  expect(stage.problems().filter((problem) => !/status of 400 .*\/api\/auth\/register$/.test(problem))).toEqual([]);
}, STEP);
