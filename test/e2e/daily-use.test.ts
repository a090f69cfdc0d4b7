// The last findings of the newcomer walk-through (issue 19, "First run and daily use"), replayed in
// real Chromium against the compiled binary. Each test failed on the code before its fix.
import { expect, test } from "bun:test";
import { stagePerTest } from "./stage.ts";
import { expectText } from "./web-helpers.ts";

const current = stagePerTest();
const STEP = 90_000;

test("the server's name titles the login page and the empty chat; without one they say VaultRoom", async () => {
  const stage = current();
  const root = await stage.person("root");
  const visitor = await stage.visitor();
  await visitor.page.goto(`${stage.url}/login`);
  await expectText(visitor.page.locator("h1"), "Log in to VaultRoom");
  await expectText(root.page.locator(".welcome h1"), "Welcome to VaultRoom");

  await stage.call(root, "PATCH", "/api/admin/settings", { serverName: "Acme Chat" });
  await visitor.page.reload();
  await expectText(visitor.page.locator("h1"), "Log in to Acme Chat");
  // The heading names it: the line above it that also did is gone.
  expect(await visitor.page.getByTestId("server-name").count()).toBe(0);
  await root.page.reload();
  await expectText(root.page.locator(".welcome h1"), "Welcome to Acme Chat");
  expect(stage.problems()).toEqual([]);
}, STEP);
