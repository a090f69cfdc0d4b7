// migrate-db and the Postgres backup copy the tables listed in src/ops/tables.ts, column by column.
// A migration that adds a table or a column must add it there too (or say in NOT_COPIED why it is
// not data): otherwise moving a server to Postgres, or restoring a backup, silently loses it — as
// the reactions, threads, pins, consent and moderation of round 2 were lost until this test.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/sqlite/open.ts";
import { NOT_COPIED, TABLES } from "../../src/ops/tables.ts";

const dir = mkdtempSync(join(tmpdir(), "vaultroom-tables-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function schema(): Map<string, string[]> {
  const db = openDatabase(join(dir, "schema.db"), { migrate: true });
  try {
    const names = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    return new Map(names.map(({ name }) => [name, db.query<{ name: string }, []>(`PRAGMA table_info("${name}")`).all().map((c) => c.name)]));
  } finally {
    db.close();
  }
}

test("every table and column of the schema is copied, or said not to be data", () => {
  const tables = schema();
  // An FTS5 table's shadow tables (search_words_data, …) go with it.
  const notCopied = (name: string) => name in NOT_COPIED || Object.keys(NOT_COPIED).some((table) => name.startsWith(`${table}_`) && tables.has(table));
  const forgotten: string[] = [];
  for (const [name, columns] of tables) {
    const spec = TABLES.find((table) => table.name === name);
    if (!spec) {
      if (!notCopied(name)) forgotten.push(`table ${name}`);
      continue;
    }
    for (const column of columns) if (!spec.columns.includes(column)) forgotten.push(`${name}.${column}`);
  }
  expect(forgotten).toEqual([]);
});

test("what is copied exists, and comes after the tables it refers to", () => {
  const tables = schema();
  for (const spec of TABLES) {
    expect({ table: spec.name, missing: spec.columns.filter((c) => !tables.get(spec.name)?.includes(c)) }).toEqual({ table: spec.name, missing: [] });
  }
  const db = openDatabase(join(dir, "schema.db"));
  try {
    const order = TABLES.map((table) => table.name);
    for (const spec of TABLES) {
      const references = db.query<{ table: string }, []>(`PRAGMA foreign_key_list("${spec.name}")`).all().map((fk) => fk.table);
      for (const target of references) {
        if (target === spec.name) continue; // rows of one table come in key order (a root before its replies)
        expect({ table: spec.name, refersTo: target, before: order.indexOf(target) < order.indexOf(spec.name) }).toEqual({ table: spec.name, refersTo: target, before: true });
      }
    }
  } finally {
    db.close();
  }
});
