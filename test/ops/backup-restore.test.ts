import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/app.ts";
import { readDb, runCli, seedDataDir } from "./support.ts";

const ROOT = join(import.meta.dir, "../..");
const mode = (path: string) => statSync(path).mode & 0o777;

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await Bun.sleep(20);
  }
}

const loadCount = (data: string) =>
  readDb(data, (db) => (db.query("SELECT count(*) AS n FROM messages WHERE client_id LIKE 'load-%'").get() as { n: number }).n);

describe("vaultroom backup + restore", () => {
  test("a backup taken while another process keeps writing restores every message committed before it started and every file with its hash", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const seeded = seedDataDir(data, { files: 4 });
    const writer = Bun.spawn(["bun", join(import.meta.dir, "write-load.ts"), data, String(seeded.roomId), String(seeded.userId), "500000"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "inherit",
    });
    try {
      await until(() => loadCount(data) >= 300, "the writer to commit 300 messages");
      const committedBefore = readDb(data, (db) => db.query("SELECT id, client_id, body FROM messages ORDER BY id").all());
      const backup = await runCli(["backup", join(dir, "nightly.vrbackup"), "--data", data]);
      const loadAfter = loadCount(data);
      expect(backup.stderr).toBe("");
      expect(backup.exitCode).toBe(0);
      expect(backup.stdout).toContain("4 stored file(s)");
      // The writer kept committing while the backup ran: this really was an online backup under load.
      expect(loadAfter).toBeGreaterThan(committedBefore.length);
      expect(mode(join(dir, "nightly.vrbackup"))).toBe(0o600);
      expect(readdirSync(dir).sort()).toEqual(["data", "nightly.vrbackup"]); // no partial file left behind
      expect(readdirSync(data).filter((name) => name.startsWith(".backup-"))).toEqual([]);

      const restored = join(dir, "restored");
      const restore = await runCli(["restore", join(dir, "nightly.vrbackup"), "--data", restored]);
      expect(restore.stderr).toBe("");
      expect(restore.exitCode).toBe(0);
      expect(restore.stdout).toContain("every one matching its recorded SHA-256");

      const restoredRows = readDb(restored, (db) => db.query("SELECT id, client_id, body FROM messages ORDER BY id").all());
      const byId = new Map((restoredRows as { id: number }[]).map((row) => [row.id, row]));
      for (const row of committedBefore as { id: number }[]) expect(byId.get(row.id)).toEqual(row);
      // A snapshot is one instant: the restored rows are a prefix of the ids, with no gaps.
      const ids = (restoredRows as { id: number }[]).map((row) => row.id);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1));

      for (const file of seeded.files) {
        const path = join(restored, file.path);
        expect(new Bun.CryptoHasher("sha256").update(readFileSync(path)).digest("hex")).toBe(file.sha256);
        expect(mode(path)).toBe(0o600);
      }
      expect(mode(restored)).toBe(0o700);
      expect(mode(join(restored, "files"))).toBe(0o700);
      expect(mode(join(restored, "vaultroom.db"))).toBe(0o600);
      expect(readFileSync(join(restored, "secrets.json"), "utf8")).toBe(readFileSync(join(data, "secrets.json"), "utf8"));
      expect(mode(join(restored, "secrets.json"))).toBe(0o600);
      expect(readdirSync(restored).sort()).toEqual(["files", "secrets.json", "vaultroom.db"]);

      const doctor = await runCli(["doctor", "--data", restored, "--certs", join(dir, "certs")]);
      expect(doctor.stdout).toContain("Healthy");
      expect(doctor.exitCode).toBe(0);
    } finally {
      writer.kill("SIGTERM");
      await writer.exited;
    }
  }, 60_000);

  test("the unencrypted archive is a standard tar whose manifest lists every entry with its size and SHA-256", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const seeded = seedDataDir(data, { files: 2 });
    expect((await runCli(["backup", join(dir, "b.tar"), "--data", data])).exitCode).toBe(0);
    const listing = Bun.spawnSync(["tar", "-tf", join(dir, "b.tar")]).stdout.toString().trim().split("\n");
    expect(listing).toEqual(["vaultroom.db", "secrets.json", ...seeded.files.map((f) => f.path).sort(), "manifest.json"]);
    const manifest = JSON.parse(Bun.spawnSync(["tar", "-xOf", join(dir, "b.tar"), "manifest.json"]).stdout.toString());
    expect(manifest).toMatchObject({ format: "vaultroom-backup", version: 1 });
    expect(typeof manifest.schemaVersion).toBe("number");
    expect(Date.parse(manifest.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    for (const file of seeded.files) {
      expect(manifest.entries).toContainEqual({ path: file.path, size: file.bytes.length, sha256: file.sha256 });
    }
  });

  test("restore refuses a directory that is not empty, with exit status 2, and touches nothing in it", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    seedDataDir(data, { files: 1 });
    expect((await runCli(["backup", join(dir, "b.tar"), "--data", data])).exitCode).toBe(0);
    const busy = join(dir, "busy");
    await Bun.write(join(busy, "notes.txt"), "mine");
    const restore = await runCli(["restore", join(dir, "b.tar"), "--data", busy]);
    expect(restore.exitCode).toBe(2);
    expect(restore.stderr).toContain(`refusing to restore into ${busy}: it is not empty`);
    expect(readdirSync(busy)).toEqual(["notes.txt"]);
    // The live data directory is never a valid target either.
    expect((await runCli(["restore", join(dir, "b.tar"), "--data", data])).exitCode).toBe(2);
  });

  test("restore into an existing empty directory works and makes it private", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    seedDataDir(data, { files: 1 });
    expect((await runCli(["backup", join(dir, "b.tar"), "--data", data])).exitCode).toBe(0);
    const empty = join(dir, "empty");
    mkdirSync(empty);
    chmodSync(empty, 0o755);
    const restore = await runCli(["restore", join(dir, "b.tar"), "--data", empty]);
    expect(restore.exitCode).toBe(0);
    expect(mode(empty)).toBe(0o700);
  });

  test("an encrypted backup opens only with its passphrase; without one or with a wrong one nothing is restored", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    const seeded = seedDataDir(data, { files: 2 });
    writeFileSync(join(dir, "pass"), "orbit-lantern-velvet-quarry-7\n", { mode: 0o600 });
    writeFileSync(join(dir, "wrong"), "orbit-lantern-velvet-quarry-8\n", { mode: 0o600 });
    const backup = await runCli(["backup", join(dir, "b.age"), "--data", data, "--passphrase-file", join(dir, "pass")]);
    expect(backup.exitCode).toBe(0);
    expect(backup.stdout).toContain("encrypted with your passphrase");
    const sealed = readFileSync(join(dir, "b.age"));
    expect(sealed.subarray(0, 21).toString()).toBe("age-encryption.org/v1");
    // Neither the manifest nor any file's bytes appear in the clear.
    expect(sealed.includes("vaultroom-backup")).toBe(false);
    expect(sealed.includes(Buffer.from(seeded.files[1]!.bytes.subarray(0, 64)))).toBe(false);

    const missing = await runCli(["restore", join(dir, "b.age"), "--data", join(dir, "r1")]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("this backup is encrypted: give its passphrase with --passphrase-file");
    const wrong = await runCli(["restore", join(dir, "b.age"), "--data", join(dir, "r2"), "--passphrase-file", join(dir, "wrong")]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("the passphrase does not open this backup");
    expect(existsSync(join(dir, "r1"))).toBe(false);
    expect(existsSync(join(dir, "r2"))).toBe(false);

    const right = await runCli(["restore", join(dir, "b.age"), "--data", join(dir, "r3"), "--passphrase-file", join(dir, "pass")]);
    expect(right.exitCode).toBe(0);
    for (const file of seeded.files) expect(readFileSync(join(dir, "r3", file.path))).toEqual(Buffer.from(file.bytes));
  }, 120_000);

  test("a backup cannot be written into the data directory, and a directory without a database is not backed up", async () => {
    const dir = tempDir();
    const data = join(dir, "data");
    seedDataDir(data, { files: 0 });
    const inside = await runCli(["backup", join(data, "files", "b.tar"), "--data", data]);
    expect(inside.exitCode).toBe(2);
    expect(inside.stderr).toContain("write the backup outside the data directory");
    const nothing = await runCli(["backup", join(dir, "b.tar"), "--data", join(dir, "nowhere")]);
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toContain("there is no VaultRoom database in");
    const noPass = await runCli(["backup", join(dir, "b.tar"), "--data", data, "--passphrase-file", join(dir, "absent")]);
    expect(noPass.exitCode).toBe(2);
    expect(noPass.stderr).toContain("cannot read the passphrase file");
    expect(existsSync(join(dir, "b.tar"))).toBe(false);
  });
});
