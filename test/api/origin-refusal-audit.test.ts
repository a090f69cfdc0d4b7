// A flood of cross-origin requests is refused every time, but cannot flush the audit trail: only a
// trickle of the refusals is recorded, so the login failures an attacker caused stay on record.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import { accountsOf, auditRows } from "./accounts-helpers.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test("a thousand foreign-origin requests are all refused, and at most a few dozen are written to the audit log", async () => {
  await accountsOf(app).audit.record("login_failed", { ip: "203.0.113.9", detail: { reason: "unknown_user" } });
  const statuses = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const response = await app.request("/api/auth/logout", { method: "POST", headers: { origin: "https://evil.example" } });
    statuses.add(response.status);
  }
  expect([...statuses]).toEqual([403]);
  // The refusals are audited without holding up the answers: what was queued has committed after this.
  await app.sql.settled();
  const recorded = (await auditRows(app, "origin_rejected")).length;
  expect(recorded).toBeGreaterThan(0);
  // Sampled per node: each node keeps its own budget (a cluster of two may record twice as many).
  expect(recorded).toBeLessThanOrEqual(20 * app.nodes.length);
  expect(await auditRows(app, "login_failed")).toHaveLength(1);
});
