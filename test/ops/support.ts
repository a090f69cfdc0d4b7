// Shared by the operator-command tests: a realistic data directory, and the CLI run as an operator would.
import { Database } from "bun:sqlite";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { databasePath, ensureDataDir } from "../../src/db/data-dir.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { loadOrCreateSecrets } from "../../src/secrets.ts";

const ROOT = join(import.meta.dir, "../..");

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `bun src/main.ts ARGS`, with no VAULTROOM_* variables leaking in from the environment. */
export async function runCli(args: string[]): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VAULTROOM_")));
  const child = Bun.spawn(["bun", join(ROOT, "src/main.ts"), ...args], { cwd: ROOT, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { exitCode, stdout, stderr };
}

export function sha256(bytes: Uint8Array | string): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

export interface SeededFile {
  id: string;
  path: string;
  bytes: Uint8Array;
  sha256: string;
}

export interface Seeded {
  userId: number;
  roomId: number;
  files: SeededFile[];
}

/**
 * A data directory as a running server leaves it: schema, secrets, a user in a room with messages,
 * and shared files (bytes in files/<id>, a row with size and SHA-256, attached to a message).
 */
export function seedDataDir(dataDir: string, options: { files?: number; messages?: number } = {}): Seeded {
  ensureDataDir(dataDir);
  loadOrCreateSecrets(dataDir);
  const db = openDatabase(databasePath(dataDir));
  try {
    const now = Date.now();
    const userId = Number(
      db.query(
        "INSERT INTO users (username, username_key, skeleton, password_hash, created_at) VALUES ('alice', 'alice', 'alice', 'x', ?)",
      ).run(now).lastInsertRowid,
    );
    const roomId = Number(db.query("INSERT INTO rooms (kind, name, created_at) VALUES ('public', 'general', ?)").run(now).lastInsertRowid);
    db.query("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)").run(roomId, userId, now);
    const message = db.query("INSERT INTO messages (room_id, author_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?)");
    for (let i = 0; i < (options.messages ?? 5); i++) message.run(roomId, userId, `seed-${i}`, `seed message ${i}`, now);
    const files: SeededFile[] = [];
    const fileRow = db.query(
      "INSERT INTO files (id, message_id, uploader_id, name, size, mime, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (let i = 0; i < (options.files ?? 3); i++) {
      const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
      // Sizes from empty to a few hundred KiB, random content so every hash differs.
      const bytes = new Uint8Array(randomBytes([0, 1000, 300_000][i] ?? 1000 * i));
      writeFileSync(join(dataDir, "files", id), bytes, { mode: 0o600 });
      const messageId = Number(message.run(roomId, userId, `file-${i}`, "", now).lastInsertRowid);
      fileRow.run(id, messageId, userId, `file ${i}.bin`, bytes.length, "application/octet-stream", sha256(bytes), now);
      files.push({ id, path: `files/${id}`, bytes, sha256: sha256(bytes) });
    }
    return { userId, roomId, files };
  } finally {
    db.close();
  }
}

/** Read-only look at a data directory's database. */
export function readDb<T>(dataDir: string, read: (db: Database) => T): T {
  // Another process may be writing (the online backup test): while it opens the database or runs WAL
  // recovery, a reader gets SQLITE_BUSY(_RECOVERY), which no busy handler waits out. Try again briefly.
  const deadline = Date.now() + 10_000;
  for (;;) {
    let db: Database | undefined;
    try {
      db = new Database(databasePath(dataDir), { readonly: true });
      db.exec("PRAGMA busy_timeout = 5000");
      return read(db);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "";
      if (!code.startsWith("SQLITE_BUSY") || Date.now() > deadline) throw error;
      Bun.sleepSync(20);
    } finally {
      db?.close();
    }
  }
}
