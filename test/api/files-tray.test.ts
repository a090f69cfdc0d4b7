// The composer's tray over HTTP (issue 19): POST /api/rooms/:id/uploads stores a file's raw bytes,
// streamed like a one-shot upload, and a message sends the staged files together. The HTTP fuzzer
// found every tray upload answering 500: the JSON body parser had read the stream before the route did.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import type { Attachment, Message } from "../../src/protocol.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { download, privateRoom, sendJson, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  [alice] = (await users(app, 1)) as [TestUser];
  roomId = await privateRoom(app, alice);
});
afterAll(() => app.close());

const stage = (bytes: Uint8Array, name: string) =>
  app.request(`/api/rooms/${roomId}/uploads?name=${encodeURIComponent(name)}`, {
    method: "POST",
    body: bytes as BodyInit,
    cookie: alice.cookie,
    headers: { "content-type": "application/octet-stream" },
  });

describe("uploading to the composer's tray", () => {
  test("files larger than any JSON body are staged whole, then sent together as one message with the same bytes", async () => {
    // Over the 64 KiB JSON cap, so a body parser in the way would refuse or cut it.
    const big = new TextEncoder().encode("tray bytes\n".repeat(12_000));
    const small = new TextEncoder().encode("a second file");
    const staged: Attachment[] = [];
    for (const [bytes, name] of [[big, "big.txt"], [small, "small.txt"]] as const) {
      const response = await stage(bytes, name);
      expect(response.status).toBe(201);
      const { upload } = (await response.json()) as { upload: Attachment };
      expect(upload).toMatchObject({ name, size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") });
      staged.push(upload);
    }
    const posted = await sendJson(app, alice, "POST", `/api/rooms/${roomId}/messages`, {
      clientId: crypto.randomUUID(),
      body: "both files",
      attachments: staged.map((upload) => upload.id),
    });
    expect(posted.status).toBe(201);
    const { message } = (await posted.json()) as { message: Message };
    expect((message.attachments ?? []).map((attachment) => attachment.name)).toEqual(["big.txt", "small.txt"]);
    const fetched = await download(app, alice, staged[0]!.id);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(big);
  });
});
