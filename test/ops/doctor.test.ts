import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { chmodSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync, closeSync, statSync } from "node:fs";
import { join } from "node:path";
import { examineDataDir } from "../../src/ops/doctor.ts";
import { tempDir } from "../support/app.ts";
import { runCli, seedDataDir } from "./support.ts";

function examine(dataDir: string, certsDir = join(dataDir, "..", "certs")) {
  const findings = examineDataDir({ dataDir, certsDir });
  const of = (level: string) => findings.list.filter((f) => f.level === level).map((f) => f.message);
  return { healthy: findings.healthy, problems: of("problem"), warnings: of("warning"), ok: of("ok") };
}

function fresh(files = 3) {
  const dir = tempDir();
  const data = join(dir, "data");
  return { dir, data, seeded: seedDataDir(data, { files }) };
}

describe("vaultroom doctor", () => {
  test("a healthy data directory passes every check and the command exits 0", async () => {
    const { dir, data } = fresh();
    const result = examine(data);
    expect(result.problems).toEqual([]);
    expect(result.ok).toContain("database integrity check passed");
    expect(result.ok).toContain("all 3 stored file(s) match their recorded SHA-256");
    expect(result.ok).toContain("the data directory, database, secrets and stored files are private to their owner");
    const cli = await runCli(["doctor", "--data", data, "--certs", join(dir, "certs")]);
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toContain("Healthy.");
  });

  test("a stored file changed on disk is named, and the command exits 1", async () => {
    const { dir, data, seeded } = fresh();
    const victim = seeded.files[2]!;
    const fd = openSync(join(data, victim.path), "r+");
    writeSync(fd, Buffer.from([victim.bytes[10]! ^ 1]), 0, 1, 10);
    closeSync(fd);
    expect(examine(data).problems).toEqual([`${victim.path} does not match its recorded SHA-256: it is damaged or was changed`]);
    const cli = await runCli(["doctor", "--data", data, "--certs", join(dir, "certs")]);
    expect(cli.exitCode).toBe(1);
    expect(cli.stdout).toContain(`PROBLEM  ${victim.path} does not match its recorded SHA-256`);
    expect(cli.stdout).toContain("1 problem(s)");
  });

  test("a missing or truncated file is a problem; a file nobody refers to is only a warning", () => {
    const { data, seeded } = fresh();
    rmSync(join(data, seeded.files[1]!.path));
    writeFileSync(join(data, seeded.files[2]!.path), "short", { mode: 0o600 });
    writeFileSync(join(data, "files", "ZZZZZZZZZZZZZZZZZZZZZZ"), "stray", { mode: 0o600 });
    writeFileSync(join(data, "files", "YYYYYYYYYYYYYYYYYYYYYY.part"), "upload in progress", { mode: 0o600 });
    const result = examine(data);
    expect(result.problems).toEqual([
      `${seeded.files[1]!.path} is recorded in the database but missing from disk`,
      `${seeded.files[2]!.path} has 5 bytes but ${seeded.files[2]!.bytes.length} were recorded: it is damaged`,
    ]);
    expect(result.warnings).toEqual([
      "files/ZZZZZZZZZZZZZZZZZZZZZZ is on disk but no file record points to it (an orphan; the server removes it at start-up)",
    ]);
  });

  test("files, secrets, the database or the TLS key readable by others are problems with the command that fixes them", () => {
    const { dir, data, seeded } = fresh();
    mkdirSync(join(dir, "certs"));
    writeFileSync(join(dir, "certs", "key.pem"), "-----BEGIN PRIVATE KEY-----\n", { mode: 0o644 });
    chmodSync(join(dir, "certs", "key.pem"), 0o644);
    chmodSync(data, 0o755);
    chmodSync(join(data, "secrets.json"), 0o640);
    chmodSync(join(data, "vaultroom.db"), 0o644);
    chmodSync(join(data, seeded.files[1]!.path), 0o604);
    const { problems } = examine(data);
    expect(problems).toContain(`the data directory ${data} has mode 755: other users can look inside. Run: chmod 700 ${data}`);
    expect(problems).toContain(`secrets.json has mode 640: other users can read it. Run: chmod 600 ${join(data, "secrets.json")}`);
    expect(problems).toContain(`vaultroom.db has mode 644: other users can read it. Run: chmod 600 ${join(data, "vaultroom.db")}`);
    expect(problems).toContain(
      `the TLS private key ${join(dir, "certs", "key.pem")} has mode 644: other users can read it. Run: chmod 600 ${join(dir, "certs", "key.pem")}`,
    );
    expect(problems).toContain(
      `${seeded.files[1]!.path} has mode 604: other users can read it. Run: chmod 600 ${join(data, seeded.files[1]!.path)}`,
    );
    // The doctor only looks: nothing was changed.
    expect(statSync(data).mode & 0o777).toBe(0o755);
  });

  test("a damaged database is reported as damaged", () => {
    const { data } = fresh(1);
    const db = new Database(join(data, "vaultroom.db"));
    db.exec("PRAGMA journal_mode = DELETE");
    db.close();
    const size = statSync(join(data, "vaultroom.db")).size;
    const fd = openSync(join(data, "vaultroom.db"), "r+");
    // Overwrite the middle pages (table b-trees) with garbage, keeping the header intact.
    writeSync(fd, Buffer.alloc(size / 2, 0x5a), 0, size / 2, 4096);
    closeSync(fd);
    const result = examine(data);
    expect(result.healthy).toBe(false);
    expect(result.problems.join("\n")).toMatch(/the database is damaged/);
  });

  test("rows pointing at missing rows are reported by table", () => {
    const { data, seeded } = fresh(0);
    const db = new Database(join(data, "vaultroom.db"));
    db.exec("PRAGMA foreign_keys = OFF");
    db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (999, ?, 'x', 'orphan', 0)").run(seeded.userId);
    db.close();
    expect(examine(data).problems).toEqual(["1 row(s) in messages refer to rows missing from rooms"]);
  });

  test("leftovers of an interrupted backup are pointed out, and a missing directory is a problem", () => {
    const { data } = fresh(0);
    mkdirSync(join(data, ".backup-0123456789ab"), { mode: 0o700 });
    expect(examine(data).warnings).toContain(
      `.backup-0123456789ab was left by an interrupted backup or restore; it is safe to delete: rm -r ${join(data, ".backup-0123456789ab")}`,
    );
    const nowhere = join(tempDir(), "nowhere");
    expect(examine(nowhere).problems).toEqual([`there is no data directory at ${nowhere}: point --data at the server's data directory`]);
  });
});
