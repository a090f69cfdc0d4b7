import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { newFileId } from "../../src/files/ids.ts";
import { createFileService } from "../../src/files/service.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { download, fileRows, filesOf, privateRoom, storedFiles, uploaded, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  [alice, bob] = (await users(app, 2)) as [TestUser, TestUser];
  [admin] = (await users(app, 1, { isAdmin: true })) as [TestUser];
  roomId = await privateRoom(app, alice, [bob, admin]);
});
afterAll(() => app.close());

const usedBy = async (user: TestUser) =>
  ((await (await app.request("/api/files/usage", { cookie: user.cookie })).json()) as { usedBytes: number }).usedBytes;

describe("deleting the message deletes the file", () => {
  test("the file is gone at once for everyone, stops counting against the quota, and its bytes are removed", async () => {
    const message = await uploaded(app, alice, roomId, new Uint8Array(5000), { name: "oops.bin" });
    const fileId = message.attachment!.id;
    expect(await usedBy(alice)).toBe(5000);

    const deleted = await app.request(`/api/messages/${message.id}`, { method: "DELETE", cookie: alice.cookie });
    expect(deleted.status).toBe(200);
    expect((await download(app, bob, fileId)).status).toBe(404);
    expect((await download(app, alice, fileId)).status).toBe(404);
    expect((await fileRows(app)).map((row) => row.id)).not.toContain(fileId);
    expect(await usedBy(alice)).toBe(0);

    await filesOf(app).sweepTrash();
    expect(storedFiles(app)).not.toContain(fileId);
  });

  test("an admin deleting someone's message deletes their file too", async () => {
    const message = await uploaded(app, bob, roomId, new Uint8Array(10), { name: "spam.bin" });
    expect((await app.request(`/api/messages/${message.id}`, { method: "DELETE", cookie: admin.cookie })).status).toBe(200);
    await filesOf(app).sweepTrash();
    expect(storedFiles(app)).not.toContain(message.attachment!.id);
    expect(await usedBy(bob)).toBe(0);
  });

  test("the deleted message's history entry carries no attachment", async () => {
    const kept = await uploaded(app, alice, roomId, new Uint8Array(3), { name: "kept.bin" });
    const gone = await uploaded(app, alice, roomId, new Uint8Array(4), { name: "gone.bin" });
    await app.request(`/api/messages/${gone.id}`, { method: "DELETE", cookie: alice.cookie });
    const { messages } = (await (await app.request(`/api/rooms/${roomId}/messages`, { cookie: bob.cookie })).json()) as {
      messages: { id: number; attachment?: { name: string } }[];
    };
    expect(messages.find((m) => m.id === kept.id)?.attachment?.name).toBe("kept.bin");
    expect(messages.find((m) => m.id === gone.id)).toBeUndefined();
  });
});

describe("start-up cleanup after a crash", () => {
  test("stray .part files and files no row refers to are removed; stored files and foreign entries are kept", async () => {
    const kept = await uploaded(app, alice, roomId, new Uint8Array(7), { name: "kept.bin" });
    const dir = join(app.dataDir, "files");
    const partial = newFileId();
    const orphan = newFileId();
    writeFileSync(join(dir, `${partial}.part`), "half an upload");
    writeFileSync(join(dir, orphan), "renamed, never committed");
    writeFileSync(join(dir, "README"), "put here by an operator");

    // What a lone node's start does (server.ts): nothing can be uploading yet, so every leftover goes.
    // (Also the bytes of an earlier test's deleted file, if the trash sweep has not removed them yet.)
    expect(await createFileService({ store: app.store, config: app.deps.config, logger: silentLogger }).sweepLeftovers(0)).toBeGreaterThanOrEqual(2);

    const left = storedFiles(app);
    expect(left).toContain(kept.attachment!.id);
    expect(left).toContain("README");
    expect(left).not.toContain(`${partial}.part`);
    expect(left).not.toContain(orphan);
    expect((await download(app, bob, kept.attachment!.id)).status).toBe(200);
  });
});
