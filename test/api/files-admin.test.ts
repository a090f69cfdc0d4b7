import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { StorageReport } from "../../src/files/service.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { errorOf, privateRoom, sendJson, uploaded, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

beforeAll(async () => {
  app = await createTestApp({ config: { userQuotaBytes: 10_000 } });
  [alice, bob] = (await users(app, 2)) as [TestUser, TestUser];
  [admin] = (await users(app, 1, { isAdmin: true })) as [TestUser];
  const roomId = await privateRoom(app, alice, [bob]);
  await uploaded(app, alice, roomId, new Uint8Array(3000), { name: "a.bin" });
  await uploaded(app, alice, roomId, new Uint8Array(1000), { name: "b.bin" });
  await uploaded(app, bob, roomId, new Uint8Array(500), { name: "c.bin" });
});
afterAll(() => app.close());

const report = async (user: TestUser) => app.request("/api/admin/storage", { cookie: user.cookie });
const setQuota = (user: TestUser, quotaBytes: number | null | string) => sendJson(app, user, "PUT", "/api/admin/storage/quota", { quotaBytes });

describe("storage on the admin dashboard", () => {
  test("shows the bytes used per user and in total, with the quota and the upload limit", async () => {
    const response = await report(admin);
    expect(response.status).toBe(200);
    const storage = (await response.json()) as StorageReport;
    expect(storage).toMatchObject({ totalBytes: 4500, files: 3, quotaBytes: 10_000, quotaSource: "config", defaultQuotaBytes: 10_000 });
    expect(storage.maxUploadBytes).toBe(app.deps.config.maxUploadBytes);
    expect(storage.users.slice(0, 2)).toEqual([
      { userId: alice.id, username: alice.username, displayName: null, files: 2, usedBytes: 4000 },
      { userId: bob.id, username: bob.username, displayName: null, files: 1, usedBytes: 500 },
    ]);
    expect(storage.users.find((u) => u.userId === admin.id)).toMatchObject({ files: 0, usedBytes: 0 });
  });

  test("an admin changes the quota at run time; null returns to the --user-quota default; it is audited", async () => {
    expect(await setQuota(admin, 2000).then((r) => r.json())).toMatchObject({ quotaBytes: 2000, quotaSource: "setting" });
    const usage = (await (await app.request("/api/files/usage", { cookie: bob.cookie })).json()) as { quotaBytes: number };
    expect(usage.quotaBytes).toBe(2000);
    expect(await setQuota(admin, null).then((r) => r.json())).toMatchObject({ quotaBytes: 10_000, quotaSource: "config" });
    const audit = await app.sql.all(`SELECT actor_id AS "actorId", detail FROM audit_log WHERE event = 'storage_quota_changed' ORDER BY id`);
    expect(audit).toEqual([
      { actorId: admin.id, detail: JSON.stringify({ from: 10_000, to: 2000, source: "setting" }) },
      { actorId: admin.id, detail: JSON.stringify({ from: 2000, to: 10_000, source: "config" }) },
    ]);
  });

  test("a quota must be a whole number of bytes", async () => {
    expect((await setQuota(admin, -1)).status).toBe(400);
    expect((await setQuota(admin, "lots")).status).toBe(400);
  });

  test("only admins see storage or change the quota", async () => {
    expect(await errorOf(await report(alice))).toMatchObject({ status: 403, error: "admin_only" });
    expect(await errorOf(await setQuota(alice, 1e9))).toMatchObject({ status: 403, error: "admin_only" });
    expect((await app.request("/api/admin/storage")).status).toBe(401);
  });
});
