import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { download, PNG_1PX, privateRoom, upload, uploaded, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let roomId: number;

beforeAll(async () => {
  app = await createTestApp();
  [alice] = (await users(app, 1)) as [TestUser];
  roomId = await privateRoom(app, alice);
});
afterAll(() => app.close());

const HTML = "<!doctype html><title>x</title><script>document.title='pwned'</script>";
const SVG = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`;
const encode = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...encode(part)] : part)));

function expectSafeAttachment(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/octet-stream");
  expect(response.headers.get("content-disposition")).toStartWith("attachment;");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
}

describe("what a file is served as comes from its bytes, and only raster images may be inline", () => {
  test("an HTML upload, even named .html and sent as text/html, downloads as an opaque attachment", async () => {
    const message = await uploaded(app, alice, roomId, encode(HTML), { name: "page.html", headers: { "content-type": "text/html" } });
    expect(message.attachment).toMatchObject({ type: "application/octet-stream", image: false });
    expectSafeAttachment(await download(app, alice, message.attachment!.id));
    expectSafeAttachment(await download(app, alice, message.attachment!.id, "?inline=1"));
  });

  test("an SVG (which can carry script) is never inline and never image/svg+xml", async () => {
    const message = await uploaded(app, alice, roomId, encode(SVG), { name: "logo.svg", headers: { "content-type": "image/svg+xml" } });
    expect(message.attachment!.image).toBe(false);
    expectSafeAttachment(await download(app, alice, message.attachment!.id, "?inline=1"));
  });

  test("a file named .png that is really HTML is not treated as an image", async () => {
    const message = await uploaded(app, alice, roomId, encode(HTML), { name: "cute.png", headers: { "content-type": "image/png" } });
    expect(message.attachment!.image).toBe(false);
    expectSafeAttachment(await download(app, alice, message.attachment!.id, "?inline=1"));
  });

  test("a real PNG is an attachment by default and inline with ?inline=1, with its real type", async () => {
    const message = await uploaded(app, alice, roomId, PNG_1PX, { name: "pixel.data" });
    expect(message.attachment).toMatchObject({ type: "image/png", image: true });
    const plain = await download(app, alice, message.attachment!.id);
    expect(plain.headers.get("content-type")).toBe("image/png");
    expect(plain.headers.get("content-disposition")).toStartWith("attachment;");
    const inline = await download(app, alice, message.attachment!.id, "?inline=1");
    expect(inline.headers.get("content-type")).toBe("image/png");
    expect(inline.headers.get("content-disposition")).toBe(`inline; filename="pixel.data"; filename*=UTF-8''pixel.data`);
    expect(inline.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(inline.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("JPEG, GIF and WebP are recognised from their signatures; PDF and ZIP are recorded but stay attachments", async () => {
    const cases: [Uint8Array, string, boolean][] = [
      [bytes([0xff, 0xd8, 0xff, 0xe0], "JFIF"), "image/jpeg", true],
      [bytes("GIF89a", [1, 0, 1, 0]), "image/gif", true],
      [bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "image/webp", true],
      [bytes("%PDF-1.7\n"), "application/pdf", false],
      [bytes([0x50, 0x4b, 0x03, 0x04], "zip"), "application/zip", false],
      [bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "), "application/octet-stream", false],
    ];
    for (const [content, type, image] of cases) {
      const message = await uploaded(app, alice, roomId, content, { name: "sample" });
      expect(message.attachment).toMatchObject({ type, image });
      const response = await download(app, alice, message.attachment!.id, "?inline=1");
      expect(response.headers.get("content-type")).toBe(image ? type : "application/octet-stream");
      expect(response.headers.get("content-disposition")).toStartWith(image ? "inline;" : "attachment;");
    }
  });

  test("an empty file is a valid upload", async () => {
    const response = await upload(app, alice, roomId, new Uint8Array(0), { name: "empty.txt" });
    expect(response.status).toBe(201);
    const { message } = (await response.json()) as { message: { attachment: { id: string; size: number } } };
    expect(message.attachment.size).toBe(0);
    expect((await download(app, alice, message.attachment.id).then((r) => r.arrayBuffer())).byteLength).toBe(0);
  });
});
