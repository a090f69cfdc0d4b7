// The file store turns ids into paths only for real file ids: a traversal, an absolute path or any
// other string never becomes a path, so no caller's slip can read or delete outside <data>/files.
// (The routes validate ids first; this is the last line, which the mutation pass found untested.)
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newFileId } from "../../src/files/ids.ts";
import { createFileStorage } from "../../src/files/storage.ts";
import { createLogger } from "../../src/log.ts";

const root = mkdtempSync(join(tmpdir(), "vaultroom-storage-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test("only a file id becomes a path; anything else is refused before the disk is touched", async () => {
  const dir = join(root, "files");
  mkdirSync(dir);
  const victim = join(root, "secrets.json");
  writeFileSync(victim, "{}");
  const storage = createFileStorage(dir, createLogger(() => {}));
  const id = newFileId();
  expect(storage.pathOf(id)).toBe(join(dir, id));
  for (const bad of ["../secrets.json", "/etc/passwd", "", ".", "..", "a/b", `${id}/..`, `${id}\0`]) {
    expect(() => storage.pathOf(bad)).toThrow("not a file id");
    await expect(storage.remove(bad)).rejects.toThrow("not a file id");
  }
  expect(existsSync(victim)).toBe(true);
});
