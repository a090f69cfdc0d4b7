// The export's content filter (src/exports/export-content.ts) as a property: for random layouts of
// users, public and private rooms, DMs, messages (some deleted) and files, a user's export holds only
// rooms they are in, only their own messages outside DMs, every live message of their DMs, only files
// they uploaded to rooms they are in, and never a secret of anyone (password hashes, TOTP boxes,
// recovery codes, session secrets, passkey keys, reset tokens).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { exportAccount, exportRoom, type ExportSink } from "../../src/exports/export-content.ts";
import { openStore } from "../../src/db/open-store.ts";
import type { Store } from "../../src/db/store.ts";
import { tempDir } from "../support/app.ts";
import { ACCOUNT_SECURITY_COMMANDS, fileId, SECRET, seedExportLayout as seed, type Layout } from "../support/account-security-commands.ts";


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
    store = await openStore({ dataDir: tempDir(), databaseUrl: null }, { commandModules: ACCOUNT_SECURITY_COMMANDS });
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

  test("a conversation longer than a page of messages is exported whole, in order, in both kinds of export", async () => {
    // 1,001 messages: two full pages of 500 and one more (the statement reads a page at a time).
    const count = 1001;
    const messages = Array.from({ length: count }, (_, i) => ({ room: 0, author: 1 + (i % 2), deleted: false, file: false }));
    await store.write(seed, { users: 2, rooms: [{ kind: "dm", members: [1, 2] }], exporter: 1, messages });
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    const own = memorySink();
    expect(await exportAccount(store.read, 1, own.sink)).toBe(true);
    expect((own.entries.get("messages/1.json") as { id: number }[]).map((m) => m.id)).toEqual(ids);
    const room = memorySink();
    expect(await exportRoom(store.read, 1, room.sink)).toBe(true);
    expect((room.entries.get("messages/1.json") as { id: number }[]).map((m) => m.id)).toEqual(ids);
  });

  test("a deleted account has nothing to export", async () => {
    const { sink } = memorySink();
    expect(await exportAccount(store.read, 999_999, sink)).toBe(false);
  });

  test("a room that no longer exists has nothing to export", async () => {
    const { sink, entries } = memorySink();
    expect(await exportRoom(store.read, 999_999, sink)).toBe(false);
    expect(entries.size).toBe(0);
  });
});
