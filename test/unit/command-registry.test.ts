// Commands run in the SQLite writer thread, which knows them only by name: every command the app
// can submit must be known there (db/command-modules.ts), and no two commands may share a name.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { commandNames } from "../../src/db/command-registry.ts";
import { command } from "../../src/db/store.ts";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { WriterThread } from "../../src/db/sqlite/writer-thread.ts";
// Everything production loads (server, CLI), so every command it could submit is registered here.
import "../../src/server.ts";
import "../../src/cli/commands.ts";
import { tempDir } from "../support/app.ts";

test("the writer thread knows every command the server and the CLI can submit", async () => {
  const path = join(tempDir(), "vaultroom.db");
  openDatabase(path).close();
  const thread = new WriterThread({ path, modules: [] });
  try {
    const known = new Set(await thread.started());
    const missing = commandNames().filter((name) => !name.startsWith("test.") && !known.has(name));
    expect(missing).toEqual([]);
    expect(known.size).toBeGreaterThan(20);
  } finally {
    await thread.close();
  }
});

test("two commands may not share a name", () => {
  command("test.onlyOnce", async () => 1);
  expect(() => command("test.onlyOnce", async () => 2)).toThrow(/two commands are named "test.onlyOnce"/);
});
