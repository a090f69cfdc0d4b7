// The audit log's hash chain. Every entry carries the SHA-256 of the entry before it (prev_hash)
// and its own hash over its content and that link, so changing, removing or inserting an entry
// anywhere breaks the chain at that point (verify.ts says where). Entries are appended inside the
// write transaction of what they record: on SQLite one writer, in a cluster under the cluster-wide
// write lock (db/postgres/store.ts), so the chain is one line whichever node writes.
import { sql } from "../db/query.ts";
import type { Conn, Store, Tx } from "../db/store.ts";
import { command } from "../db/store.ts";

/** The link the first entry of a never-pruned log points back to. */
export const GENESIS = "0".repeat(64);

/** What an entry's hash covers: every stored column, in a fixed order, plus the link. */
export interface ChainedContent {
  id: number;
  at: number;
  event: string;
  actorId: number | null;
  target: string | null;
  ip: string | null;
  detail: string | null;
}

export function entryHash(entry: ChainedContent, prevHash: string): string {
  const canonical = JSON.stringify([entry.id, entry.at, entry.event, entry.actorId, entry.target, entry.ip, entry.detail, prevHash]);
  return new Bun.CryptoHasher("sha256").update(canonical).digest("hex");
}

const q = {
  lastHash: sql<{ hash: string | null }, []>("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"),
  insert: sql<{ id: number }, [number, string, number | null, string | null, string | null, string | null]>(
    "INSERT INTO audit_log (at, event, actor_id, target, ip, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  ),
  link: sql<never, [string, string, number]>("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?"),
  unsealed: sql<ChainedContent, [number]>(
    `SELECT id, at, event, actor_id AS "actorId", target, ip, detail FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT ?`,
  ),
  before: sql<{ hash: string | null }, [number]>("SELECT hash FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT 1"),
  anyUnsealed: sql<{ id: number }, []>("SELECT id FROM audit_log WHERE hash IS NULL LIMIT 1"),
};

/** Appends one entry, linked to the newest one, in the caller's transaction. Returns its id and hash. */
export async function appendChained(tx: Tx, content: Omit<ChainedContent, "id">): Promise<{ id: number; hash: string }> {
  const prev = (await tx.get(q.lastHash))?.hash ?? GENESIS;
  const { id } = (await tx.get(q.insert, content.at, content.event, content.actorId, content.target, content.ip, content.detail))!;
  const hash = entryHash({ ...content, id }, prev);
  await tx.run(q.link, prev, hash, id);
  return { id, hash };
}

const SEAL_BATCH = 1000;

/** Chains entries written before the chain existed (migration 011), oldest first; one batch per call. */
const sealBatch = command("audit.sealLegacy", async (tx): Promise<number> => {
  const rows = await tx.all(q.unsealed, SEAL_BATCH);
  if (rows.length === 0) return 0;
  let prev = (await tx.get(q.before, rows[0]!.id))?.hash ?? GENESIS;
  for (const row of rows) {
    const hash = entryHash(row, prev);
    await tx.run(q.link, prev, hash, row.id);
    prev = hash;
  }
  return rows.length;
});

/** Run once at start (server and CLI): a no-op once every entry is chained. */
export async function sealLegacyEntries(store: Store, db: Conn = store.read): Promise<number> {
  if (!(await db.get(q.anyUnsealed))) return 0;
  let total = 0;
  for (let sealed = await store.write(sealBatch, undefined); sealed > 0; sealed = await store.write(sealBatch, undefined)) total += sealed;
  return total;
}
