import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../support/app.ts";
import type { TestUser } from "../support/users.ts";
import { download, fileRows, privateRoom, storedFiles, tree, upload, uploaded, users } from "./files-helpers.ts";

let app: TestApp;
let alice: TestUser;
let roomId: number;
let before: string[];

beforeAll(async () => {
  app = await createTestApp();
  [alice] = (await users(app, 1)) as [TestUser];
  roomId = await privateRoom(app, alice);
  before = tree(app.dataDir);
});
afterAll(() => app.close());

// Each hostile name, and the harmless metadata it must become.
const HOSTILE: [string, string][] = [
  ["../../etc/passwd", "passwd"],
  ["..\\x", "x"],
  ["..\\..\\..\\Windows\\system32\\evil.dll", "evil.dll"],
  ["%2e%2e%2f", "%2e%2e%2f"],
  ["%2e%2e%2fetc%2fpasswd", "%2e%2e%2fetc%2fpasswd"],
  ["crlf\r\nSet-Cookie: a=b.txt", "crlfSet-Cookie: a=b.txt"],
  ["crlf\r\nContent-Type: text/html.txt", "html.txt"],
  ["invoice\u202Efdp.exe", "invoicefdp.exe"],
  ["zero\u200Bwidth\u2066isolate\u2069.txt", "zerowidthisolate.txt"],
  ["/", "file"],
  ["..", "file"],
];

describe("hostile filenames stay harmless metadata", () => {
  for (const [raw, expected] of HOSTILE) {
    test(`${JSON.stringify(raw)} is stored as ${JSON.stringify(expected)} and offered back safely`, async () => {
      const message = await uploaded(app, alice, roomId, new TextEncoder().encode(raw), { name: raw });
      expect(message.attachment!.name).toBe(expected);
      const response = await download(app, alice, message.attachment!.id);
      expect(response.status).toBe(200);
      const disposition = response.headers.get("content-disposition")!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
      expect(await response.text()).toBe(raw);
    });
  }

  test("a name with a NUL is refused, nothing stored (no text a client sends may hold one: src/text/nul.ts)", async () => {
    const response = await upload(app, alice, roomId, new TextEncoder().encode("x"), { name: "nul\u0000byte.txt" });
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 400,
      body: { error: "invalid_request", message: "Text cannot contain the NUL character (U+0000)." },
    });
  });

  test("300 characters are cut to 200, keeping the extension", async () => {
    const message = await uploaded(app, alice, roomId, new Uint8Array([1]), { name: `${"a".repeat(300)}.pdf` });
    expect(message.attachment!.name).toBe(`${"a".repeat(196)}.pdf`);
  });

  test("nothing was written outside <data>/files/, and inside it only random ids", async () => {
    const after = tree(app.dataDir);
    const added = after.filter((path) => !before.includes(path));
    // The database's own files may appear (WAL); every other new path is a stored file.
    const outsideFiles = added.filter((path) => !path.startsWith("files/") && !/^vaultroom\.db(-wal|-shm)?$/.test(path));
    expect(outsideFiles).toEqual([]);
    for (const name of storedFiles(app)) expect(name).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(storedFiles(app).length).toBe((await fileRows(app)).length);
    expect(storedFiles(app).length).toBe(HOSTILE.length + 1);
  });
});
