// Messages that cannot go out at once, in real Chromium against the compiled binary: typed offline
// they wait behind a "reconnecting" banner and arrive once, in order; kept across a reload; refused
// by the rate limit they are marked failed until Retry sends them, in the order retried.
// Each test starts its own server and people (test/e2e/stage.ts).
import { expect, test } from "bun:test";
import { screenshot } from "../support/browser.ts";
import { stagePerTest } from "./stage.ts";
import { bodies, eventually, expectText, send } from "./web-helpers.ts";

/** Chromium's own reports of reconnect attempts while offline: expected, and nothing else is. */
const OFFLINE_NOISE = /WebSocket connection to .* failed|ERR_INTERNET_DISCONNECTED/;

const current = stagePerTest();

test("offline, a message waits as pending behind a reconnecting banner and is delivered after", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  await send(alice.page, "Before going offline");
  await expectText(bodies(bob.page).last(), "Before going offline");

  await alice.context.setOffline(true);
  await alice.page.getByTestId("reconnecting").waitFor({ timeout: 40_000 });
  await send(alice.page, "Sent while offline");
  await alice.page.locator("article.message.pending", { hasText: "Sent while offline" }).waitFor();
  // Meanwhile Bob writes: Alice cannot receive it live and must get it from the resync.
  await send(bob.page, "Missed while you were away");
  await expectText(bodies(bob.page).last(), "Missed while you were away");
  await alice.context.setOffline(false);
  await alice.page.getByTestId("reconnecting").waitFor({ state: "detached", timeout: 40_000 });
  await expectText(bodies(bob.page).last(), "Sent while offline", 30_000);
  await alice.page.locator("article.message.pending").waitFor({ state: "detached" });
  expect(await alice.page.locator("article.message", { hasText: "Sent while offline" }).count()).toBe(1);
  await alice.page.locator(".message-body", { hasText: "Missed while you were away" }).waitFor();
  expect(await alice.page.locator(".message-body", { hasText: "Missed while you were away" }).count()).toBe(1);
  expect(stage.problems().filter((p) => !OFFLINE_NOISE.test(p))).toEqual([]);
}, 120_000);

test("a message still pending when the tab is reloaded is kept and delivered once", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);

  await alice.context.setOffline(true);
  await alice.page.getByTestId("reconnecting").waitFor({ timeout: 40_000 });
  await send(alice.page, "Survives a reload");
  await alice.page.locator("article.message.pending", { hasText: "Survives a reload" }).waitFor();
  const kept = await alice.page.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join(""));
  expect(kept).toContain("Survives a reload");
  await alice.context.setOffline(false);
  await alice.page.reload();
  await expectText(bodies(bob.page).last(), "Survives a reload", 30_000);
  await alice.page.locator("article.message:not(.pending)", { hasText: "Survives a reload" }).waitFor();
  expect(await bob.page.locator(".message-body", { hasText: "Survives a reload" }).count()).toBe(1);
  expect(await alice.page.locator(".message-body", { hasText: "Survives a reload" }).count()).toBe(1);
  expect(stage.problems().filter((p) => !OFFLINE_NOISE.test(p))).toEqual([]);
}, 120_000);

test("messages refused by the rate limit are marked failed, and Retry sends them, in the order retried", async () => {
  const stage = current();
  const alice = await stage.person("alice");
  const bob = await stage.person("bob");
  await stage.room(alice, "design", [bob]);
  // 40 messages at once, far past the per-connection burst of 20 (refilled at 5 a second). Typed one
  // by one through Playwright they took ~270 ms each on a loaded machine: the bucket refilled as fast
  // as they came and nothing was ever refused. Sent from inside the page, they leave together.
  await alice.page.locator("textarea.composer-input").evaluate((input: HTMLTextAreaElement, count: number) => {
    for (let i = 1; i <= count; i++) {
      input.value = `burst ${i}`;
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    }
  }, 40);
  const failed = alice.page.locator("article.message.failed");
  await failed.first().waitFor();
  await expectText(failed.first().locator(".message-status"), /Not sent\..*Too many attempts/);
  await screenshot(alice.page, "failed-messages");

  // Retry the first failed message until none is left, each once the one before has settled.
  const retried: string[] = [];
  while ((await failed.count()) > 0) {
    const text = (await failed.first().locator(".message-body").textContent())!;
    const message = alice.page.locator("article.message").filter({ has: alice.page.locator(".message-body", { hasText: new RegExp(`^${text}$`) }) });
    await message.getByRole("button", { name: "Retry" }).click();
    // Sending until the server answers: then delivered, or refused again and retried next round.
    await message.and(alice.page.locator(":not(.pending)")).waitFor();
    if ((await message.and(alice.page.locator(".failed")).count()) === 0) retried.push(text);
  }
  const texts = await eventually(
    () => bodies(bob.page).allTextContents(),
    (all) => all.filter((t) => t.startsWith("burst ")).length === 40,
    30_000,
  );
  const arrived = texts.filter((t) => t.startsWith("burst "));
  const firstTry = arrived.filter((t) => !retried.includes(t));
  expect(retried.length).toBeGreaterThan(0);
  // Those let through arrived in the order typed, then the retried ones in the order retried, each once.
  expect(firstTry).toEqual(firstTry.toSorted((a, b) => Number(a.slice(6)) - Number(b.slice(6))));
  expect(arrived).toEqual([...firstTry, ...retried]);
  expect(new Set(arrived).size).toBe(40);
  expect(stage.problems()).toEqual([]);
}, 120_000);
