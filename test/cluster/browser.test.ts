// Two people in real Chromium, each on a different node of a cluster (the compiled binary on
// Postgres + Redis): they chat both ways live, and the same person opening the room on the other node
// reads the same history.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { SESSION_COOKIE } from "../../src/accounts/session-tokens.ts";
import type { RunningBinary } from "../support/binary.ts";
import { launchBrowser, newPerson, watchedPage } from "../support/browser.ts";
import { bodies, expectText, problemsOf, send } from "../e2e/web-helpers.ts";
import { call, register, type Person } from "./client.ts";
import { startCluster, type Cluster } from "./nodes.ts";
import { startServices, type Services } from "./services.ts";

setDefaultTimeout(120_000);

let services: Services;
let cluster: Cluster;
let browser: Browser;

beforeAll(async () => {
  services = await startServices();
  cluster = await startCluster(services);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
  await services?.stop();
});

async function openChat(node: RunningBinary, person: Person, roomId: number) {
  const context = await newPerson(browser);
  const value = person.cookie.slice(person.cookie.indexOf("=") + 1);
  await context.addCookies([{ name: SESSION_COOKIE, value, url: node.url, secure: true, httpOnly: true, sameSite: "Strict" }]);
  const watched = await watchedPage(context);
  await watched.page.goto(`${node.url}/chat/${roomId}`);
  await watched.page.locator(".user-menu").first().waitFor({ state: "attached" });
  return { ...watched, context };
}

test("a conversation across two nodes, live both ways, with one history", async () => {
  const [a, b] = cluster.nodes as [RunningBinary, RunningBinary];
  const alice = await register(a, "alice");
  const bob = await register(b, "bob");
  const created = await call(a, "/api/rooms", { json: { kind: "private", name: "across", members: [bob.id] }, cookie: alice.cookie });
  const { room } = (await created.json()) as { room: { id: number } };
  // Bob had never talked to Alice: he accepts her invitation, on his own node (issue 21 §4).
  expect((await call(b, `/api/requests/${room.id}/accept`, { method: "POST", cookie: bob.cookie })).status).toBe(200);

  const onA = await openChat(a, alice, room.id);
  const onB = await openChat(b, bob, room.id);
  await onA.page.locator(".conversation-name", { hasText: "across" }).waitFor();
  await onB.page.locator(".conversation-name", { hasText: "across" }).waitFor();

  await send(onA.page, "Hello from node one");
  await expectText(bodies(onB.page).last(), "Hello from node one");
  await send(onB.page, "And back from node two");
  await expectText(bodies(onA.page).last(), "And back from node two");

  // The same history, read through the other node after a reload.
  const reloaded = await openChat(b, alice, room.id);
  await expectText(bodies(reloaded.page).last(), "And back from node two");
  expect(await bodies(reloaded.page).allTextContents()).toEqual(["Hello from node one", "And back from node two"]);

  for (const watched of [onA, onB, reloaded]) expect(problemsOf(watched)).toEqual([]);
  await Promise.all([onA.context.close(), onB.context.close(), reloaded.context.close()]);
});
