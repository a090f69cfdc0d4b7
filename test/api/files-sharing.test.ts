import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { download, errorOf, fileRows, privateRoom, storedFiles, upload, uploaded, uploadPath, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let mallory: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  [alice, bob, mallory] = (await users(app, 3)) as [TestUser, TestUser, TestUser];
  roomId = await privateRoom(app, alice, [bob]);
});
afterAll(() => app.close());

const report = new TextEncoder().encode("quarterly numbers\n".repeat(1000));

describe("sharing a file in a room", () => {
  test("a member uploads a file; it is stored under a random id with its size, SHA-256 and detected type", async () => {
    const message = await uploaded(app, alice, roomId, report, { name: "Q3 report.txt", caption: "the numbers" });
    expect(message.body).toBe("the numbers");
    expect(message.author.id).toBe(alice.id);
    const attachment = message.attachment!;
    expect(attachment.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(attachment).toMatchObject({
      name: "Q3 report.txt",
      size: report.byteLength,
      type: "application/octet-stream",
      image: false,
      sha256: createHash("sha256").update(report).digest("hex"),
    });
    expect(storedFiles(app)).toContain(attachment.id);
  });

  test("another member downloads exactly the same bytes, as an attachment with its name", async () => {
    const message = await uploaded(app, alice, roomId, report, { name: "Résumé final.txt" });
    const response = await download(app, bob, message.attachment!.id);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(report);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Resume final.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20final.txt`,
    );
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
  });

  test("the file comes back with the message in the room's history", async () => {
    const message = await uploaded(app, bob, roomId, report, { name: "history.txt" });
    const response = await app.request(`/api/rooms/${roomId}/messages`, { cookie: alice.cookie });
    const { messages } = (await response.json()) as { messages: { id: number; attachment?: { id: string } }[] };
    expect(messages.find((m) => m.id === message.id)?.attachment?.id).toBe(message.attachment!.id);
  });

  test("a caption is optional; an upload without a name is called \"file\"", async () => {
    const message = await uploaded(app, alice, roomId, report);
    expect(message.body).toBe("");
    expect(message.attachment!.name).toBe("file");
  });

  test("a multipart form is refused with 415 and a clear message, rather than stored as its envelope", async () => {
    const form = new FormData();
    form.append("file", new Blob([report]), "form.txt");
    const rowsBefore = (await fileRows(app)).length;
    const filesBefore = storedFiles(app).length;
    const response = await app.request(uploadPath(roomId, { name: "form.txt" }), { method: "POST", body: form, cookie: alice.cookie });
    expect(await errorOf(response)).toMatchObject({ status: 415, error: "multipart_not_supported", message: expect.stringContaining("?name=") });
    expect((await fileRows(app)).length).toBe(rowsBefore);
    expect(storedFiles(app).length).toBe(filesBefore);
  });

  test("sending the same clientId twice stores one file and answers with the first message", async () => {
    const clientId = crypto.randomUUID();
    const first = await uploaded(app, alice, roomId, report, { name: "once.txt", clientId });
    const before = storedFiles(app).length;
    const again = await upload(app, alice, roomId, report, { name: "once.txt", clientId });
    expect(again.status).toBe(200);
    const reply = (await again.json()) as { duplicate: boolean; message: { id: number; attachment: { id: string } } };
    expect(reply.duplicate).toBe(true);
    expect(reply.message.id).toBe(first.id);
    expect(reply.message.attachment.id).toBe(first.attachment!.id);
    expect(storedFiles(app).length).toBe(before);
  });

  test("my usage shows the bytes I uploaded, my quota and the upload limit", async () => {
    const response = await app.request("/api/files/usage", { cookie: bob.cookie });
    const usage = (await response.json()) as { usedBytes: number; quotaBytes: number; maxUploadBytes: number };
    expect(usage).toEqual({ usedBytes: report.byteLength, quotaBytes: app.deps.config.userQuotaBytes, maxUploadBytes: app.deps.config.maxUploadBytes });
  });
});

describe("nobody else can fetch a shared file", () => {
  test("a non-member gets 404, exactly as for an id that does not exist", async () => {
    const message = await uploaded(app, alice, roomId, report, { name: "secret.txt" });
    const guessed = await download(app, mallory, message.attachment!.id);
    const missing = await download(app, mallory, "AAAAAAAAAAAAAAAAAAAAAA");
    expect(await errorOf(guessed)).toEqual(await errorOf(missing));
    expect(guessed.status).toBe(404);
    expect(await errorOf(await download(app, mallory, "..%2F..%2Fvaultroom.db"))).toMatchObject({ status: 404 });
  });

  test("a logged-out request gets 401", async () => {
    const message = await uploaded(app, alice, roomId, report);
    const response = await download(app, null, message.attachment!.id);
    expect(response.status).toBe(401);
    expect(await upload(app, null, roomId, report).then((r) => r.status)).toBe(401);
  });

  test("a member removed from the room gets 404 for files shared while they were in it", async () => {
    const [carol] = (await users(app, 1)) as [TestUser];
    const room = await privateRoom(app, alice, [carol]);
    const message = await uploaded(app, alice, room, report, { name: "before-removal.txt" });
    expect((await download(app, carol, message.attachment!.id)).status).toBe(200);
    const removed = await app.request(`/api/rooms/${room}/members/${carol.id}`, { method: "DELETE", cookie: alice.cookie });
    expect(removed.status).toBe(200);
    expect((await download(app, carol, message.attachment!.id)).status).toBe(404);
  });

  test("a non-member cannot upload: 404 before a byte of the body is read, and nothing is stored", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(report);
        if (pulled > 3) controller.close();
      },
    });
    const rows = (await fileRows(app)).length;
    const files = storedFiles(app).length;
    const response = await app.app.handle(
      new Request(`https://localhost/api/rooms/${roomId}/files?name=x`, {
        method: "POST",
        body,
        headers: { origin: "https://localhost", cookie: mallory.cookie },
        duplex: "half",
      } as RequestInit),
    );
    expect(await errorOf(response)).toMatchObject({ status: 404, error: "room_not_found" });
    expect(pulled).toBeLessThanOrEqual(1);
    expect((await fileRows(app)).length).toBe(rows);
    expect(storedFiles(app).length).toBe(files);
  });
});
