// Commands the account-security tests use to lay out state straight in the database. They live in a
// support module because the SQLite writer thread must import them to know them by name: pass
// ACCOUNT_SECURITY_COMMANDS as openStore's commandModules.
import { join } from "node:path";
import { sql } from "../../src/db/query.ts";
import { command } from "../../src/db/store.ts";

export const ACCOUNT_SECURITY_COMMANDS = [join(import.meta.dir, "account-security-commands.ts")];

/** A random layout for the export property: users, rooms (public, private, DM), messages, and who exports. */
export interface Layout {
  users: number;
  rooms: { kind: "public" | "private" | "dm"; members: number[] }[];
  messages: { room: number; author: number; deleted: boolean; file: boolean }[];
  exporter: number;
}

export const SECRET = "SECRET-";
const run = sql<never, unknown[]>;
const statements = {
  clear: ["file_trash", "files", "messages", "room_members", "rooms", "passkeys", "recovery_codes", "totp_secrets", "password_resets", "sessions", "users"].map((t) =>
    run(`DELETE FROM ${t}`),
  ),
  user: run("INSERT INTO users (id, username, username_key, skeleton, password_hash, created_at) VALUES (?, ?, ?, ?, ?, 0)"),
  session: run("INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, 0, 0, 9999999999999)"),
  totp: run("INSERT INTO totp_secrets (user_id, secret_box, created_at, enabled_at) VALUES (?, ?, 0, 0)"),
  code: run("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, 0)"),
  passkey: run("INSERT INTO passkeys (id, user_id, public_key, name, created_at) VALUES (?, ?, ?, ?, 0)"),
  reset: run("INSERT INTO password_resets (id, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, 0, 9999999999999)"),
  room: run("INSERT INTO rooms (id, kind, name, created_at, dm_key) VALUES (?, ?, ?, 0, ?)"),
  member: run("INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, 0)"),
  message: run("INSERT INTO messages (id, room_id, author_id, client_id, body, created_at, deleted_at) VALUES (?, ?, ?, ?, ?, 0, ?)"),
  file: run("INSERT INTO files (id, message_id, uploader_id, name, size, mime, sha256, created_at) VALUES (?, ?, ?, ?, 1, 'text/plain', ?, 0)"),
};
const bytes = (text: string) => new TextEncoder().encode(text);
export const fileId = (n: number) => `file${String(n).padStart(18, "0")}`;

export const seedExportLayout = command("test.seedLayout", async (tx, l: Layout) => {
  for (const clear of statements.clear) await tx.run(clear);
  for (let u = 1; u <= l.users; u++) {
    await tx.run(statements.user, u, `user${u}`, `user${u}`, `user${u}`, `${SECRET}hash-${u}`);
    await tx.run(statements.session, `session-${u}`, bytes(`${SECRET}session-${u}`), u);
    await tx.run(statements.totp, u, bytes(`${SECRET}totp-${u}`));
    await tx.run(statements.code, u, bytes(`${SECRET}code-${u}`));
    await tx.run(statements.passkey, `passkey-${u}`, u, bytes(`${SECRET}key-${u}`), `key of ${u}`);
    await tx.run(statements.reset, `reset-${u}`, bytes(`${SECRET}reset-${u}`), u);
  }
  for (const [i, room] of l.rooms.entries()) {
    await tx.run(statements.room, i + 1, room.kind, `room ${i + 1}`, room.kind === "dm" ? `dm-${i + 1}` : null);
    for (const member of room.members) await tx.run(statements.member, i + 1, member);
  }
  for (const [i, m] of l.messages.entries()) {
    await tx.run(statements.message, i + 1, m.room + 1, m.author, `c${i}`, `body ${i + 1} in room ${m.room + 1} by ${m.author}`, m.deleted ? 1 : null);
    if (m.file && !m.deleted) await tx.run(statements.file, fileId(i + 1), i + 1, m.author, `file ${i + 1}.txt`, `sha-${i + 1}`);
  }
});

/** One account with a sealed TOTP secret (any bytes): what makes a start with another key refuse. */
export const sealTotpRow = command("test.seal", async (tx) => {
  await tx.run(sql<never, []>("INSERT INTO users (username, username_key, skeleton, password_hash, created_at) VALUES ('u', 'u', 'u', 'x', 0)"));
  await tx.run(sql<never, [Uint8Array]>("INSERT INTO totp_secrets (user_id, secret_box, created_at) VALUES (1, ?, 0)"), new Uint8Array(40));
});
