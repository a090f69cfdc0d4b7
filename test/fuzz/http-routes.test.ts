// Property-based fuzzing of every HTTP route through app.handle: valid requests with one part made
// hostile, sent as nobody, as a new user and as an admin. Whatever arrives, the answer is a proper
// one (no 5xx; a 4xx is exactly { error, message }), the app keeps answering its health check, and
// memory stays bounded. FUZZ_RUNS=N runs N cases per route instead of the quick default.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createTestApp, type TestApp } from "../support/app.ts";
import { expectProperHttpAnswer } from "./answers.ts";
import { fuzzedRequests, send } from "./http-requests.ts";
import { actorFor, createFixture, repairFixture, ROUTES, type Actor, type Fixture } from "./http-routes.ts";
import { fuzzParameters, fuzzTimeout } from "./hostile-values.ts";

const QUICK_RUNS = 300;
const MIB = 1024 * 1024;

let test_: TestApp;
let fixture: Fixture;
let rssBefore = 0;

beforeAll(async () => {
  test_ = await createTestApp();
  fixture = await createFixture(test_);
  Bun.gc(true);
  rssBefore = process.memoryUsage().rss;
});
afterAll(() => test_.close());

const routeKey = (method: string, path: string) => `${method} ${path.replace(/\/$/, "")}`;

test("the fuzzing table lists exactly the app's routes", () => {
  const served = test_.app.routes
    .filter((route) => route.path.startsWith("/api/") || route.path === "/ws")
    .map((route) => routeKey(route.method, route.path))
    .sort();
  expect(ROUTES.map((route) => routeKey(route.method, route.path)).sort()).toEqual(served);
});

const actorKinds = fc.constantFrom<Actor["kind"]>("user", "user", "admin", "none");

describe("every route answers hostile requests properly", () => {
  for (const route of ROUTES.filter((r) => !r.socketOnly)) {
    test(
      `${route.method} ${route.path}`,
      async () => {
        await fc.assert(
          fc.asyncProperty(actorKinds, fuzzedRequests(route, fixture), async (kind, request) => {
            const actor = await actorFor(test_, fixture, kind);
            const { response, what } = await send(test_, fixture, route, request, actor);
            await expectProperHttpAnswer(response, what);
          }),
          fuzzParameters(QUICK_RUNS),
        );
        await repairFixture(test_, fixture);
        const health = await test_.request("/api/health");
        expect(health.status).toBe(200);
      },
      fuzzTimeout(QUICK_RUNS, 50),
    );
  }
});

test("memory stays bounded after all of it", async () => {
  Bun.gc(true);
  const grown = (process.memoryUsage().rss - rssBefore) / MIB;
  console.log(`fuzz: RSS grew ${grown.toFixed(1)} MiB over ${ROUTES.length} routes`);
  expect(grown).toBeLessThan(256);
});
