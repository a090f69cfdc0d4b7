// The audit log exported as JSON lines (src/audit/export.ts, behind `vaultroom audit export`): each
// entry whole, its detail as the structured value that was recorded (what changed, from what to
// what), with the chain fields, so a copy kept off the machine still says what happened.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { exportAudit, type ExportedEntry } from "../../src/audit/export.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { createTestUser } from "../support/users.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
}, 30_000);
afterAll(() => app.close());

async function exported(since: number | null = null): Promise<ExportedEntry[]> {
  const lines: string[] = [];
  await exportAudit(app.store.read, since, (line) => lines.push(line));
  return lines.map((line) => JSON.parse(line) as ExportedEntry);
}

describe("audit export", () => {
  test("keeps each entry's detail as recorded, names its actor, and an entry without detail has none", async () => {
    const admin = await createTestUser(app.deps, { isAdmin: true });
    const audit = app.app.decorator.services.accounts.audit;
    await audit.record("retention_changed", { actorId: admin.id, target: "server", detail: { messageDays: 30, fileDays: null } });
    await audit.record("invite_revoked", { target: "thing" });
    const entries = await exported();
    expect(entries.find((e) => e.event === "retention_changed")).toMatchObject({
      actorId: admin.id,
      actorName: admin.username,
      target: "server",
      detail: { messageDays: 30, fileDays: null },
      hash: expect.any(String),
    });
    expect(entries.find((e) => e.event === "invite_revoked")!.detail).toBeNull();
  });
});
