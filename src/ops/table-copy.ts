// Copies every table (tables.ts) from one engine to another, row for row with their ids, and proves
// the copy: the same count and the same SHA-256 over every row in key order on both sides.
import type { Conn } from "../db/store.ts";
import { TABLES, tableQueries, type Row, type TableSpec } from "./tables.ts";

const PAGE = 1000;

export interface TableReport {
  table: string;
  rows: number;
  sha256: string;
}

/** Every row of a table in key order, a page at a time. */
export async function* rowsOf(db: Conn, table: TableSpec): AsyncGenerator<Row> {
  const q = tableQueries(table);
  let page = await db.all(q.first, PAGE);
  while (page.length > 0) {
    yield* page;
    if (page.length < PAGE) return;
    const last = page[page.length - 1]!;
    page = await db.all(q.page, ...table.key.map((k) => last[k]), PAGE);
  }
}

/** A value as both engines agree on it: bytes as hex, integers as numbers, text as text. */
function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (typeof value === "bigint") return Number(value);
  return value ?? null;
}

export async function checksum(db: Conn, table: TableSpec): Promise<TableReport> {
  const hasher = new Bun.CryptoHasher("sha256");
  let rows = 0;
  for await (const row of rowsOf(db, table)) {
    hasher.update(JSON.stringify(table.columns.map((column) => canonical(row[column]))));
    hasher.update("\n");
    rows++;
  }
  return { table: table.name, rows, sha256: hasher.digest("hex") };
}

/**
 * Inserts every row of `from` into `into` (a connection inside the caller's transaction), table by
 * table. A page's inserts are sent together: Postgres pipelines them on the one connection.
 */
export async function copyTables(from: Conn, into: Conn, onTable?: (table: string, rows: number) => void): Promise<void> {
  for (const table of TABLES) {
    const insert = tableQueries(table).insert;
    let rows = 0;
    let page: Promise<unknown>[] = [];
    for await (const row of rowsOf(from, table)) {
      page.push(into.run(insert, ...table.columns.map((column) => row[column])));
      rows++;
      if (page.length === PAGE) {
        await Promise.all(page);
        page = [];
      }
    }
    await Promise.all(page);
    onTable?.(table.name, rows);
  }
}

export async function checksums(db: Conn): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const table of TABLES) reports.push(await checksum(db, table));
  return reports;
}
