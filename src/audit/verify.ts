// Walks the audit chain (chain.ts) and its signed checkpoints (checkpoints.ts) and reports the
// first entry that was altered, removed or inserted, or a tail cut past a checkpoint. Read-only:
// `vaultroom audit verify` runs it beside a live server (SQLite WAL, or Postgres reads).
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";
import { entryHash, GENESIS, type ChainedContent } from "./chain.ts";
import { checkpointQueries, keyId, signatureValid, type Checkpoint } from "./checkpoints.ts";

export type ProblemKind = "altered" | "removed" | "inserted" | "truncated" | "checkpoint" | "key";

export interface Problem {
  kind: ProblemKind;
  /** The entry (or for "checkpoint" and "key", the checkpoint) the problem is found at. */
  entryId: number | null;
  checkpointId: number | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  checkpoints: number;
  firstEntryId: number | null;
  lastEntryId: number | null;
  /** Entries after the newest checkpoint: chained but not signed yet. */
  unsigned: number;
  problem: Problem | null;
}

type Row = ChainedContent & { prevHash: string | null; hash: string | null };

const PAGE = 2000;
const page = sql<Row, [number, number]>(
  `SELECT id, at, event, actor_id AS "actorId", target, ip, detail, prev_hash AS "prevHash", hash
     FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`,
);

const fail = (kind: ProblemKind, entryId: number | null, checkpointId: number | null, message: string): Problem => ({ kind, entryId, checkpointId, message });

function checkCheckpoints(key: string, checkpoints: Checkpoint[]): Problem | null {
  const mine = keyId(key);
  let previous: Checkpoint | null = null;
  for (const c of checkpoints) {
    if (c.keyId !== mine) {
      return fail("key", null, c.id, `checkpoint #${c.id} was signed with key ${c.keyId}, but this key is ${mine}: use the secrets file the server uses (--secrets-file)`);
    }
    if (!signatureValid(key, c)) return fail("checkpoint", c.entryId, c.id, `checkpoint #${c.id} does not match its signature: it was altered`);
    if (previous && (c.prevSig !== previous.signature || c.entryId < previous.entryId)) {
      return fail("checkpoint", c.entryId, c.id, `checkpoint #${c.id} does not follow checkpoint #${previous.id}: checkpoints between them were removed`);
    }
    previous = c;
  }
  return null;
}

export async function verifyAudit(db: Conn, key: string): Promise<VerifyReport> {
  const checkpoints = await checkpointQueries.all(db);
  const report: VerifyReport = { ok: true, entries: 0, checkpoints: checkpoints.length, firstEntryId: null, lastEntryId: null, unsigned: 0, problem: null };
  const done = (problem: Problem | null): VerifyReport => ({ ...report, ok: problem === null, problem });

  const checkpointProblem = checkCheckpoints(key, checkpoints);
  if (checkpointProblem) return done(checkpointProblem);
  const signedAt = new Map(checkpoints.map((c) => [c.entryId, c]));

  // The two entries before the current one: a link that skips the previous entry means it was inserted.
  let previous: Row | null = null;
  let beforePrevious: Row | null = null;
  let after = 0;
  // A signed entry that no longer matches its checkpoint: altered, unless the next entry shows it was
  // inserted there (its link skips it), which is the more precise answer.
  let mismatch: Problem | null = null;
  for (let rows = await db.all(page, after, PAGE); rows.length; rows = await db.all(page, after, PAGE)) {
    for (const row of rows) {
      report.entries++;
      if (previous === null) {
        report.firstEntryId = row.id;
        // The start: the genesis link, or (after pruning) the entry the oldest checkpoint signed.
        const anchor = checkpoints[0];
        const anchored = row.prevHash === GENESIS || (anchor !== undefined && anchor.entryId < row.id && row.prevHash === anchor.entryHash);
        if (!anchored) return done(fail("removed", row.id, null, `entries before entry #${row.id} were removed (its link points to an entry that is not there)`));
        // A checkpoint that signed an entry older than the first one left (other than the anchor): cut at the head.
        const lost = checkpoints.find((c) => c.entryId < row.id && c !== anchor);
        if (lost) return done(fail("removed", lost.entryId, lost.id, `entry #${lost.entryId}, signed by checkpoint #${lost.id}, was removed`));
      } else if (row.prevHash !== previous.hash) {
        if (beforePrevious && row.prevHash === beforePrevious.hash) {
          // (Also the answer when `previous` was a signed entry that did not match its checkpoint.)
          return done(fail("inserted", previous.id, null, `entry #${previous.id} was inserted: entry #${row.id} links past it to entry #${beforePrevious.id}`));
        }
        return done(
          fail("removed", row.id, null, `the chain breaks before entry #${row.id}: entries after #${previous.id} were removed, or entry #${previous.id} was re-written`),
        );
      }
      if (mismatch) return done(mismatch);
      if (row.hash === null || entryHash(row, row.prevHash ?? "") !== row.hash) {
        return done(fail("altered", row.id, null, `entry #${row.id} was altered: its content does not match its hash`));
      }
      const signed = signedAt.get(row.id);
      if (signed && signed.entryHash !== row.hash) {
        mismatch = fail("altered", row.id, signed.id, `entry #${row.id} was altered: it no longer matches checkpoint #${signed.id}`);
      }
      beforePrevious = previous;
      previous = row;
      after = row.id;
    }
  }
  if (mismatch) return done(mismatch);
  report.lastEntryId = previous?.id ?? null;
  const newest = checkpoints.at(-1);
  if (newest) {
    const last = report.lastEntryId ?? 0;
    if (newest.entryId > last || !report.entries) {
      return done(fail("truncated", newest.entryId, newest.id, `the log was cut: checkpoint #${newest.id} signed entry #${newest.entryId}, but the log ends at #${last || "(empty)"}`));
    }
    // Entries that were signed must all still be there (a removal at a checkpointed id is caught above).
    for (const c of checkpoints.slice(1)) {
      if (c.entryId >= (report.firstEntryId ?? Infinity) && !(await db.get(one, c.entryId))) {
        return done(fail("removed", c.entryId, c.id, `entry #${c.entryId}, signed by checkpoint #${c.id}, was removed`));
      }
    }
  }
  report.unsigned = await countAfter(db, newest?.entryId ?? 0);
  return done(null);
}

const one = sql<{ id: number }, [number]>("SELECT id FROM audit_log WHERE id = ?");
const after = sql<{ n: number }, [number]>("SELECT count(*) AS n FROM audit_log WHERE id > ?");
const countAfter = async (db: Conn, id: number) => (await db.get(after, id))!.n;
