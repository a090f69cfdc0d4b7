// The export's content filter (src/exports/export-content.ts) as a property: for random layouts of
// users, public and private rooms, DMs, messages (some deleted) and files, a user's export holds only
// rooms they are in, only their own messages outside DMs, every live message of their DMs, only files
// they uploaded to rooms they are in, and never a secret of anyone (password hashes, TOTP boxes,
// recovery codes, session secrets, passkey keys, reset tokens).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { exportAccount, type ExportSink } from "../../src/exports/export-content.ts";
import { openStore } from "../../src/db/open-store.ts";
import { sql } from "../../src/db/query.ts";
import { command, type Store } from "../../src/db/store.ts";
import { tempDir } from "../support/app.ts";

interface Layout {
  users: number;
  rooms: { kind: "public" | "private" | "dm"; members: number[] }[];
  messages: { room: number; author: number; deleted: boolean; file: boolean }[];
  exporter: number;
}

const layout: fc.Arbitrary<Layout> = fc
  .integer({ min: 2, max: 5 })
  .chain((users) =>
    fc.record({
      users: fc.constant(users),
      rooms: fc.array(
        fc.record({
          kind: fc.constantFrom("public" as const, "private" as const, "dm" as const),
          members: fc.uniqueArray(fc.integer({ min: 1, max: users }), { minLength: 1, maxLength: users }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      exporter: fc.integer({ min: 1, max: users }),
    }),
  )
  .chain((base) =>
    fc.record({
      users: fc.constant(base.users),
      rooms: fc.constant(base.rooms),
      exporter: fc.constant(base.exporter),
      messages: fc.array(
        fc.integer({ min: 0, max: base.rooms.length - 1 }).chain((room) =>
          fc.record({
            room: fc.constant(room),
            author: fc.constantFrom(...base.rooms[room]!.members),
            deleted: fc.boolean(),
            file: fc.boolean(),
          }),
        ),
        { maxLength: 25 },
      ),
    }),
  );

const SECRET = "SECRET-";
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
const fileId = (n: number) => `file${String(n).padStart(18, "0")}`;

const seed = command("test.seedLayout", async (tx, l: Layout) => {
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

function memorySink() {
  const entries = new Map<string, unknown>();
  const files: { path: string; fileId: string }[] = [];
  const sink: ExportSink = {
    document: async (path, value) => void entries.set(path, value),
    list: async (path) => {
      const items: unknown[] = [];
      entries.set(path, items);
      return { push: async (item) => void items.push(item), close: async () => {} };
    },
    storedFile: async (path, id) => void files.push({ path, fileId: id }),
    progress: async () => {},
  };
  return { sink, entries, files };
}

describe("what a user's export holds", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: tempDir(), databaseUrl: null });
  });
  afterAll(() => store.close());

  test("for random room layouts: only their rooms, their messages (every one in their DMs), their files, no secret", async () => {
    let checkedMessages = 0;
    await fc.assert(
      fc.asyncProperty(layout, async (l) => {
        await store.write(seed, l);
        const { sink, entries, files } = memorySink();
        expect(await exportAccount(store.read, l.exporter, sink)).toBe(true);
        const mine = new Set(l.rooms.flatMap((room, i) => (room.members.includes(l.exporter) ? [i + 1] : [])));
        const exportedRooms = (entries.get("rooms.json") as { id: number }[]).map((r) => r.id);
        expect(new Set(exportedRooms)).toEqual(mine);
        const expected = l.messages
          .map((m, i) => ({ ...m, id: i + 1 }))
          .filter((m) => !m.deleted && mine.has(m.room + 1) && (l.rooms[m.room]!.kind === "dm" || m.author === l.exporter))
          .map((m) => m.id)
          .sort((a, b) => a - b);
        const got = [...entries.entries()]
          .filter(([path]) => path.startsWith("messages/"))
          .flatMap(([path, list]) => {
            expect(mine.has(Number(/(\d+)\.json$/.exec(path)![1]))).toBe(true);
            return (list as { id: number }[]).map((m) => m.id);
          })
          .sort((a, b) => a - b);
        expect(got).toEqual(expected);
        checkedMessages += got.length;
        const expectedFiles = l.messages
          .map((m, i) => ({ ...m, id: i + 1 }))
          .filter((m) => m.file && !m.deleted && m.author === l.exporter && mine.has(m.room + 1))
          .map((m) => fileId(m.id))
          .sort();
        expect(files.map((f) => f.fileId).sort()).toEqual(expectedFiles);
        const text = JSON.stringify([...entries.entries()]);
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(Buffer.from(SECRET).toString("base64").slice(0, 8));
      }),
      { numRuns: 60, seed: 14 },
    );
    // The property saw real work, not sixty empty exports.
    expect(checkedMessages).toBeGreaterThan(50);
  });

  test("a deleted account has nothing to export", async () => {
    const { sink } = memorySink();
    expect(await exportAccount(store.read, 999_999, sink)).toBe(false);
  });
});
