// Signed checkpoints of the audit chain (chain.ts). A checkpoint is an HMAC-SHA256, with the audit
// key from the secrets file (secrets.ts: never in the database), over the newest entry's id and hash
// and the previous checkpoint's signature. Whoever can write to the database but lacks the key can
// neither re-hash the chain behind a checkpoint nor forge a new one, so `vaultroom audit verify`
// finds any edit, removal or insertion before the newest checkpoint, and a tail cut past one.
//
// Pruning (the table keeps at most MAX_ENTRIES) happens here too, and only up to a checkpoint: the
// oldest checkpoint kept then anchors the start of the chain (its entry_hash is the prev_hash of the
// first entry left), so a pruned log still verifies from end to end.
import { createHmac, timingSafeEqual } from "node:crypto";
import { sql } from "../db/query.ts";
import { command, type Conn } from "../db/store.ts";
import { appendChained } from "./chain.ts";

/** Oldest entries beyond this are pruned (up to a checkpoint), so a flood cannot grow the table without bound. */
export const MAX_ENTRIES = 200_000;

export interface Checkpoint {
  id: number;
  at: number;
  entryId: number;
  entryHash: string;
  prevSig: string;
  keyId: string;
  signature: string;
}

export const FIRST_SIGNATURE = "";

export function keyId(key: string): string {
  return createHmac("sha256", key).update("vaultroom audit key id").digest("hex").slice(0, 16);
}

export function sign(key: string, c: Pick<Checkpoint, "at" | "entryId" | "entryHash" | "prevSig">): string {
  return createHmac("sha256", key).update(JSON.stringify(["vaultroom-audit-checkpoint", c.at, c.entryId, c.entryHash, c.prevSig])).digest("hex");
}

export function signatureValid(key: string, c: Checkpoint): boolean {
  const expected = Buffer.from(sign(key, c), "hex");
  const given = Buffer.from(c.signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const COLUMNS = `id, at, entry_id AS "entryId", entry_hash AS "entryHash", prev_sig AS "prevSig", key_id AS "keyId", signature`;

const q = {
  newestEntry: sql<{ id: number; hash: string | null }, []>("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
  newestCheckpoint: sql<Checkpoint, []>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY id DESC LIMIT 1`),
  insert: sql<{ id: number }, [number, number, string, string, string, string]>(
    "INSERT INTO audit_checkpoints (at, entry_id, entry_hash, prev_sig, key_id, signature) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  ),
  all: sql<Checkpoint, []>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY id`),
  count: sql<{ n: number }, []>("SELECT count(*) AS n FROM audit_log"),
  pruneAnchor: sql<Checkpoint, [number, number]>(
    `SELECT ${COLUMNS} FROM audit_checkpoints WHERE entry_id >= ? AND entry_id <= ? ORDER BY entry_id LIMIT 1`,
  ),
  oldestEntry: sql<{ id: number }, []>("SELECT id FROM audit_log ORDER BY id LIMIT 1"),
  pruneEntries: sql<never, [number]>("DELETE FROM audit_log WHERE id <= ?"),
  pruneCheckpoints: sql<never, [number]>("DELETE FROM audit_checkpoints WHERE id < ?"),
};

export const checkpointQueries = {
  all: (db: Conn) => db.all(q.all),
  newest: (db: Conn) => db.get(q.newestCheckpoint),
};

/**
 * Signs the newest entry unless the newest checkpoint already covers it, then prunes a step if the
 * table is over its size. Safe on every node at once: the write lock makes the second a no-op.
 */
export const checkpointCommand = command(
  "audit.checkpoint",
  async (tx, input: { key: string; now: number; maxEntries: number }): Promise<Checkpoint | null> => {
    const entry = await tx.get(q.newestEntry);
    const last = await tx.get(q.newestCheckpoint);
    let made: Checkpoint | null = null;
    if (entry?.hash && (!last || last.entryId !== entry.id || last.entryHash !== entry.hash)) {
      const fields = { at: input.now, entryId: entry.id, entryHash: entry.hash, prevSig: last?.signature ?? FIRST_SIGNATURE };
      const signature = sign(input.key, fields);
      const { id } = (await tx.get(q.insert, fields.at, fields.entryId, fields.entryHash, fields.prevSig, keyId(input.key), signature))!;
      made = { id, ...fields, keyId: keyId(input.key), signature };
      tx.announce({
        kind: "log",
        level: "info",
        // The JSON log, shipped off the machine, keeps an outside copy of every checkpoint.
        event: "audit_checkpoint",
        fields: { checkpointId: id, entryId: entry.id, entryHash: entry.hash, signature },
      });
    }
    const { n } = (await tx.get(q.count))!;
    if (n > input.maxEntries && entry) {
      // The oldest checkpoint past the entries still kept: everything up to it goes in one step
      // (checkpoints come every minute, so a step is at most a minute of entries).
      const oldest = (await tx.get(q.oldestEntry))!.id;
      const anchor = await tx.get(q.pruneAnchor, oldest, entry.id - input.maxEntries);
      if (anchor) {
        await tx.run(q.pruneEntries, anchor.entryId);
        // The anchor stays: its entry_hash is where the remaining chain starts.
        await tx.run(q.pruneCheckpoints, anchor.id);
        await appendChained(tx, {
          at: input.now,
          event: "audit_pruned",
          actorId: null,
          target: null,
          ip: null,
          detail: JSON.stringify({ throughEntry: anchor.entryId, checkpointId: anchor.id }),
        });
      }
    }
    return made;
  },
);
