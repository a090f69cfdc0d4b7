// Search (issue 13) in real Chromium against the compiled binary: Ctrl+F opens the search, results
// come grouped by conversation with the matches marked (DOM nodes, not HTML), filters by person and
// room show as removable chips, and choosing a result opens its conversation at that message, with the
// history around it loaded and the message highlighted. A private room I never joined is never found.
// The same in French.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import type { Locator } from "playwright-core";
import { eventually, expectText } from "./web-helpers.ts";

/** Types a new query in the search field and runs it. */
async function type(field: Locator, query: string): Promise<void> {
  await field.fill(query);
  await field.press("Enter");
}

// ~130 messages are posted to set the scene; the rate limit is not what this journey is about.
const current = stagePerTest({ args: ["--message-rate", "500"] });

test("search every conversation, filter by person and room, and open a result at its message in context", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  const carol = await stage.person("carol");
  const design = await stage.room(alice, "design", [bob]);
  const ops = await stage.room(alice, "ops", [bob]);
  const secret = await stage.room(carol, "secret");
  const post = (who: { cookie: string }, roomId: number, body: string) =>
    stage.call(who, "POST", `/api/rooms/${roomId}/messages`, { clientId: crypto.randomUUID(), body });

  // The message to find is old: 60 lines before it and 60 after, so it is not on the newest page.
  for (let i = 1; i <= 60; i++) await post(i % 2 ? alice : bob, design.id, `design line ${i}`);
  await post(bob, design.id, "The deploy key rotates on Friday");
  for (let i = 61; i <= 120; i++) await post(i % 2 ? alice : bob, design.id, `design line ${i}`);
  await post(alice, ops.id, "deploy went fine");
  await post(bob, ops.id, "Deployment needs a review");
  await post(carol, secret.id, "deploy secrets live here");

  const page = alice.page;
  await page.goto(`${stage.url}/chat/${ops.id}`);
  await page.locator(".conversation-name", { hasText: "ops" }).waitFor();
  await page.keyboard.press("Control+f");
  const field = page.getByRole("searchbox", { name: "Search messages" });
  await expect(field.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await type(field, "deploy");
  await expectText(page.getByTestId("search-status"), "3 results");
  // Grouped by conversation, newest first; carol's private room is not there.
  const groups = page.locator(".search-group-title");
  expect(await groups.allTextContents()).toEqual(["ops", "design"]);
  expect(await page.locator(".search-result").count()).toBe(3);
  // Matches are <mark> elements with the matched text (prefixes count: "Deployment").
  expect(await page.locator(".search-result mark.search-match").allTextContents()).toEqual(["Deploy", "deploy", "deploy"]);
  expect(await page.locator(".search-panel").textContent()).not.toContain("secrets");

  // By person: a chip, removable.
  await type(field, "deploy from:bob");
  await expectText(page.getByTestId("search-status"), "2 results");
  const chip = page.locator(".chip", { hasText: "From: bob" });
  await chip.waitFor();
  await chip.getByRole("button", { name: "Remove filter: From: bob" }).click();
  await expectText(page.getByTestId("search-status"), "3 results");
  await expect(field.inputValue()).resolves.toBe("deploy");

  // By room, from the room's own header ("search this room").
  await page.getByRole("button", { name: "Close search" }).click();
  await page.goto(`${stage.url}/chat/${design.id}`);
  await page.locator(".conversation-name", { hasText: "design" }).waitFor();
  await page.getByTestId("search-this-room").click();
  await page.locator(".chip", { hasText: "In: design" }).waitFor();
  await type(field, "deploy");
  await expectText(page.getByTestId("search-status"), "1 result");
  await expectText(page.locator(".search-result-text"), "The deploy key rotates on Friday");

  // Or typed as a filter, from another room after a reload (nothing of design is loaded yet).
  await page.goto(`${stage.url}/chat/${ops.id}`);
  await page.locator(".conversation-name", { hasText: "ops" }).waitFor();
  await page.keyboard.press("Control+f");
  await type(field, "deploy in:design");
  await expectText(page.getByTestId("search-status"), "1 result");
  await page.locator(".chip", { hasText: "In: design" }).waitFor();

  // Choosing it opens the conversation at the message: its context is fetched around it, and the
  // message is highlighted, in view, and focused.
  const around = page.waitForResponse((r) => r.url().includes(`/api/rooms/${design.id}/messages?around=`) && r.status() === 200);
  await page.locator(".search-result").click();
  await around;
  const highlighted = page.locator(".message.highlighted");
  await expectText(highlighted.locator(".message-body"), "The deploy key rotates on Friday");
  await expect(highlighted.getAttribute("aria-current")).resolves.toBe("true");
  await expect(highlighted.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  expect(page.url()).toBe(`${stage.url}/chat/${design.id}`);
  const shown = await page.locator("[data-testid=messages] .message-body").allTextContents();
  expect(shown).toContain("design line 60");
  expect(shown).toContain("design line 61");
  await expect(highlighted.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  })).resolves.toBe(true);
  // Scrolling down reaches the present again, without a gap.
  const last = await eventually(
    async () => {
      await page.getByTestId("messages").evaluate((el) => el.scrollTo(0, el.scrollHeight));
      return page.locator("[data-testid=messages] .message-body").last().textContent();
    },
    (text) => text === "design line 120",
  );
  expect(last).toBe("design line 120");
  const all = await page.locator("[data-testid=messages] .message-body").allTextContents();
  const from = all.indexOf("design line 60");
  expect(all.slice(from)).toEqual([
    "design line 60",
    "The deploy key rotates on Friday",
    ...Array.from({ length: 60 }, (_, i) => `design line ${61 + i}`),
  ]);
  expect(stage.problems()).toEqual([]);
}, 120_000);

test("the search in French, with a filter error explained", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const room = await stage.room(alice, "général");
  await stage.call(alice, "POST", `/api/rooms/${room.id}/messages`, { clientId: crypto.randomUUID(), body: "Réunion à l’école demain" });
  await alice.page.evaluate(() => localStorage.setItem("vaultroom.locale", "fr"));
  await alice.page.reload();
  await alice.page.locator(".conversation-name", { hasText: "général" }).waitFor();
  await alice.page.getByRole("button", { name: "Rechercher dans cette conversation" }).click();
  const field = alice.page.getByRole("searchbox", { name: "Rechercher dans les messages" });
  // Accents are folded: "ecole" finds "école".
  await type(field, "ecole");
  await expectText(alice.page.getByTestId("search-status"), "1 résultat");
  expect(await alice.page.locator("mark.search-match").allTextContents()).toEqual(["école"]);
  await type(field, "before:demain");
  await expectText(alice.page.getByTestId("search-status"), /^Un filtre n’est pas valable/);
  // "/" in an empty composer opens the search too; once there is text it is typed as a slash.
  await alice.page.getByRole("button", { name: "Fermer la recherche" }).click();
  const composer = alice.page.locator("textarea.composer-input");
  await composer.fill("a");
  await composer.press("/");
  await expect(composer.inputValue()).resolves.toBe("a/");
  await composer.fill("");
  await composer.press("/");
  await expect(field.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  // The refused search is the only problem the page saw.
  expect(stage.problems().filter((p) => !/status of 400 .*\/api\/search\?q=before%3Ademain/.test(p))).toEqual([]);
}, 60_000);

test("Ctrl+K finds people to start a conversation with and public rooms not joined yet", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.person("dora", { displayName: "Dora Explorer" });
  await stage.room(bob, "gardening", [], "public");
  await stage.room(bob, "hidden-garden", [], "private");
  const page = alice.page;
  await page.goto(`${stage.url}/chat`);
  await page.locator(".user-menu").first().waitFor({ state: "attached" });

  // A public room I am not in: joined and opened; a private one is never offered.
  await page.keyboard.press("Control+k");
  const input = page.getByRole("combobox", { name: "Room or person" });
  await input.fill("garden");
  const option = page.getByRole("option", { name: /gardening/ });
  await option.waitFor();
  expect(await page.getByRole("option").allTextContents()).toEqual(["gardeningJoin"]);
  await input.press("Enter");
  await expectText(page.locator(".conversation-name"), "gardening");

  // A person: the direct conversation is started and opened.
  await page.keyboard.press("Control+k");
  await input.fill("dora");
  await page.getByRole("option", { name: /Dora Explorer/ }).waitFor();
  await input.press("Enter");
  await expectText(page.locator(".conversation-name"), "Dora Explorer");
  // Now she is found as that conversation, not offered twice.
  await page.keyboard.press("Control+k");
  await input.fill("dora");
  await Bun.sleep(400);
  expect(await page.getByRole("option").count()).toBe(1);
  expect(await page.getByRole("option").first().textContent()).not.toContain("Start a conversation");
  expect(stage.problems()).toEqual([]);
}, 60_000);
