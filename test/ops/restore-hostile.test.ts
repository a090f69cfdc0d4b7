// Restore treats the archive as untrusted input: a damaged, truncated or crafted backup is refused
// with a clear message, nothing is written outside the target, and the target is left as found.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import tar from "tar-stream";
import { LATEST_SCHEMA } from "../../src/db/migrations/index.ts";
import { OpsError } from "../../src/ops/ops-error.ts";
import { restoreBackup } from "../../src/ops/restore.ts";
import { tempDir } from "../support/app.ts";
import { runCli, seedDataDir, sha256 } from "./support.ts";

interface CraftedEntry {
  name: string;
  body?: Uint8Array | string;
  type?: "file" | "symlink" | "link" | "directory";
  linkname?: string;
}

/** A tar built by hand; `manifest` lists the given file entries unless told otherwise. */
async function craft(entries: CraftedEntry[], manifest: "auto" | "none" | object = "auto", schemaVersion = LATEST_SCHEMA): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const body = entry.body === undefined ? undefined : Buffer.from(entry.body);
    pack.entry({ name: entry.name, type: entry.type ?? "file", linkname: entry.linkname, size: body?.length ?? 0 }, body ?? Buffer.alloc(0));
  }
  if (manifest !== "none") {
    const listed =
      manifest === "auto"
        ? {
            format: "vaultroom-backup",
            version: 1,
            vaultroomVersion: "test",
            schemaVersion,
            createdAt: new Date().toISOString(),
            entries: entries
              .filter((entry) => (entry.type ?? "file") === "file")
              .map((entry) => ({ path: entry.name, size: Buffer.from(entry.body ?? "").length, sha256: sha256(entry.body ?? "") })),
          }
        : manifest;
    pack.entry({ name: "manifest.json" }, JSON.stringify(listed));
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function databaseBytes(version = LATEST_SCHEMA): Uint8Array {
  const dir = tempDir();
  const db = new Database(join(dir, "x.db"));
  db.exec(`CREATE TABLE t (x INTEGER) STRICT; PRAGMA user_version = ${version}`);
  db.close();
  return readFileSync(join(dir, "x.db"));
}

async function refusal(archive: Buffer): Promise<{ error: OpsError; dir: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, "backup.tar"), archive);
  const target = join(dir, "target");
  try {
    await restoreBackup({ file: join(dir, "backup.tar"), dataDir: target, passphrase: null });
  } catch (error) {
    expect(error).toBeInstanceOf(OpsError);
    // A failed restore leaves no trace: the target it created is gone again.
    expect(existsSync(target)).toBe(false);
    return { error: error as OpsError, dir };
  }
  throw new Error("restore accepted a hostile archive");
}

describe("restore refuses damaged and crafted backups", () => {
  test("one changed byte in a stored file fails its SHA-256 check", async () => {
    const dir = tempDir();
    const seeded = seedDataDir(join(dir, "data"), { files: 3 });
    expect((await runCli(["backup", join(dir, "b.tar"), "--data", join(dir, "data")])).exitCode).toBe(0);
    const archive = readFileSync(join(dir, "b.tar"));
    const victim = seeded.files[2]!;
    const at = archive.indexOf(Buffer.from(victim.bytes.subarray(0, 32)));
    expect(at).toBeGreaterThan(0);
    archive[at + 100]! ^= 0xff;
    const { error } = await refusal(archive);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(`${victim.path} does not match its recorded SHA-256: the backup is damaged`);
  });

  test("a truncated backup is refused, encrypted or not", async () => {
    const dir = tempDir();
    seedDataDir(join(dir, "data"), { files: 3 });
    writeFileSync(join(dir, "pass"), "tundra-marble-falcon-ribbon\n", { mode: 0o600 });
    expect((await runCli(["backup", join(dir, "b.tar"), "--data", join(dir, "data")])).exitCode).toBe(0);
    expect((await runCli(["backup", join(dir, "b.age"), "--data", join(dir, "data"), "--passphrase-file", join(dir, "pass")])).exitCode).toBe(0);

    const plain = readFileSync(join(dir, "b.tar"));
    const cut = await refusal(plain.subarray(0, Math.floor(plain.length / 2)));
    expect(cut.error.message).toMatch(/damaged or incomplete|no manifest|missing from the backup/);

    const sealed = readFileSync(join(dir, "b.age"));
    writeFileSync(join(dir, "cut.age"), sealed.subarray(0, sealed.length - 200));
    const restore = await runCli(["restore", join(dir, "cut.age"), "--data", join(dir, "r"), "--passphrase-file", join(dir, "pass")]);
    expect(restore.exitCode).toBe(1);
    expect(restore.stderr).toContain("the backup is damaged or incomplete");
    expect(existsSync(join(dir, "r"))).toBe(false);
  }, 120_000);

  test("path traversal, absolute paths, links and unknown names are refused and nothing lands outside the target", async () => {
    const db = { name: "vaultroom.db", body: databaseBytes() };
    const cases: CraftedEntry[][] = [
      [db, { name: "files/../../escape", body: "owned" }],
      [db, { name: "../escape", body: "owned" }],
      [db, { name: "/tmp/vaultroom-escape", body: "owned" }],
      [db, { name: "files/link", type: "symlink", linkname: "/etc/passwd" }],
      [db, { name: "files/hard", type: "link", linkname: "vaultroom.db" }],
      [db, { name: "run-me.sh", body: "#!/bin/sh\n" }],
      [db, { name: "files/a\\..\\b", body: "x" }],
    ];
    for (const entries of cases) {
      const { error, dir } = await refusal(await craft(entries, "none"));
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(/refusing it/);
      expect(readdirSync(dir)).toEqual(["backup.tar"]);
    }
    expect(existsSync("/tmp/vaultroom-escape")).toBe(false);
  });

  test("entries must match the manifest exactly: no extras, no gaps, no duplicates, and a manifest must exist", async () => {
    const db = { name: "vaultroom.db", body: databaseBytes() };
    const extra = { name: "files/AAAAAAAAAAAAAAAAAAAAAA", body: "extra" };
    const noManifest = await refusal(await craft([db], "none"));
    expect(noManifest.error.message).toContain("has no manifest");

    const manifestWithoutExtra = JSON.parse((await craft([db])).toString("latin1").match(/\{"format"[^\0]*\}/)![0]);
    const unlisted = await refusal(await craft([db, extra], manifestWithoutExtra));
    expect(unlisted.error.message).toContain("which its manifest does not list");

    const listedMissing = { ...manifestWithoutExtra, entries: [...manifestWithoutExtra.entries, { path: extra.name, size: 5, sha256: sha256("extra") }] };
    const gap = await refusal(await craft([db], listedMissing));
    expect(gap.error.message).toContain("listed in the manifest but missing");

    const twice = await refusal(await craft([db, extra, extra], "none"));
    expect(twice.error.message).toContain("twice");

    const notOurs = await refusal(await craft([db], { format: "something-else" }));
    expect(notOurs.error.message).toContain("not a VaultRoom backup");
  });

  test("a backup from a newer VaultRoom is refused with the schema message", async () => {
    const body = databaseBytes(LATEST_SCHEMA + 1);
    const { error } = await refusal(await craft([{ name: "vaultroom.db", body }], "auto", LATEST_SCHEMA + 1));
    expect(error.message).toContain(`the database has schema version ${LATEST_SCHEMA + 1} but this VaultRoom knows only up to ${LATEST_SCHEMA}`);
  });

  test("a file that is not a backup at all gets a plain answer", async () => {
    const { error } = await refusal(Buffer.from("hello, I am a text file and not a tar archive\n".repeat(20)));
    expect(error.message).toMatch(/damaged or incomplete|no manifest/);
  });
});
