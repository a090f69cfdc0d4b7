// The audit trail: every admin action and security event goes to the audit_log table (in the
// transaction of the change it records) and to the JSON log (once that change has committed).
// Callers pass names, ids and reasons only; never passwords, tokens or cookies.
import { sql } from "../db/query.ts";
import { command, type Conn, type Store, type Tx } from "../db/store.ts";
import type { AuditEntry } from "./types.ts";

export type AuditDetail = Record<string, string | number | boolean | null>;

export interface AuditInput {
  actorId?: number | null;
  /** What the action was about: a username, a session id, an invite id. */
  target?: string | null;
  ip?: string | null;
  detail?: AuditDetail;
}

/** Security events are warnings in the JSON log; admin actions are info. */
const WARN_EVENTS = new Set(["login_failed", "login_locked_out", "rate_limited", "origin_rejected"]);

/** Oldest rows beyond this are pruned, so an attack cannot grow the table without bound. */
const MAX_ROWS = 200_000;
/** Pruning runs when a new id is a multiple of this (no per-process counter: any node may write). */
const PRUNE_EVERY = 1000;

const q = {
  insert: sql<{ id: number }, [number, string, number | null, string | null, string | null, string | null]>(
    "INSERT INTO audit_log (at, event, actor_id, target, ip, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  ),
  prune: sql<never, [number]>("DELETE FROM audit_log WHERE id <= ?"),
  page: sql<Omit<AuditEntry, "detail"> & { detail: string | null }, [number, string | null, number]>(
    `SELECT a.id, a.at, a.event, a.actor_id AS "actorId", u.username AS "actorName", a.target, a.ip, a.detail
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.id < ?1 AND (CAST(?2 AS TEXT) IS NULL OR a.event = ?2)
      ORDER BY a.id DESC LIMIT ?3`,
  ),
};

/** Records an audit entry in the current transaction; the log line follows the commit. */
export async function appendAudit(tx: Tx, event: string, input: AuditInput = {}, now = Date.now()): Promise<void> {
  const detail = input.detail && Object.keys(input.detail).length ? JSON.stringify(input.detail) : null;
  const row = await tx.get(q.insert, now, event, input.actorId ?? null, input.target ?? null, input.ip || null, detail);
  if (row!.id % PRUNE_EVERY === 0) await tx.run(q.prune, row!.id - MAX_ROWS);
  tx.announce({
    kind: "log",
    level: WARN_EVENTS.has(event) ? "warn" : "info",
    event,
    fields: { audit: true, actorId: input.actorId ?? undefined, target: input.target ?? undefined, ip: input.ip || undefined, ...input.detail },
  });
}

const recordCommand = command("audit.record", async (tx, input: { event: string; entry: AuditInput; now: number }) =>
  appendAudit(tx, input.event, input.entry, input.now),
);

export function createAuditLog(store: Store) {
  return {
    /** An entry about something that changed nothing else (a refused login, a rate limit). */
    record(event: string, input: AuditInput = {}, now = Date.now()): Promise<void> {
      return store.write(recordCommand, { event, entry: input, now });
    },

    /** Newest first; `before` is an id for paging. */
    async list(options: { before?: number; limit?: number; event?: string } = {}, db: Conn = store.read): Promise<AuditEntry[]> {
      const rows = await db.all(q.page, options.before ?? Number.MAX_SAFE_INTEGER, options.event ?? null, Math.min(Math.max(options.limit ?? 100, 1), 500));
      return rows.map((row) => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as AuditEntry["detail"]) : null }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
