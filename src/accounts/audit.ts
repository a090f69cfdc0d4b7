// The audit trail: every admin action and security event goes to the audit_log table (in the
// transaction of the change it records) and to the JSON log (once that change has committed).
// Callers pass names, ids and reasons only; never passwords, tokens or cookies. Entries form a hash
// chain with signed checkpoints (src/audit/): pruning happens there, only up to a checkpoint.
import { appendChained } from "../audit/chain.ts";
import { sql } from "../db/query.ts";
import { command, type Conn, type Store, type Tx } from "../db/store.ts";
import type { AuditEntry } from "./types.ts";
import { resolveAbout } from "./audit-about.ts";
import type { AuditEvent } from "../protocol.ts";

export type AuditDetail = Record<string, string | number | boolean | null>;

export interface AuditInput {
  actorId?: number | null;
  /** What the action was about: a username, a session id, an invite id. */
  target?: string | null;
  ip?: string | null;
  detail?: AuditDetail;
}

/** Security events are warnings in the JSON log; admin actions are info. */
const WARN_EVENTS = new Set<AuditEvent>(["login_failed", "login_locked_out", "rate_limited", "origin_rejected"]);

/** Filters of the admin's audit view: all optional, combined with AND. */
export interface AuditFilter {
  /** An id for paging: entries older than it. */
  before?: number;
  limit?: number;
  event?: string;
  /** The acting account's id. */
  actorId?: number;
  /** Milliseconds since the epoch, inclusive. */
  from?: number;
  to?: number;
}

const q = {
  // Keyset paging by id (newest first); each filter is one indexed or cheap condition.
  page: sql<Omit<AuditEntry, "detail"> & { detail: string | null }, [number, string | null, number | null, number | null, number | null, number]>(
    `SELECT a.id, a.at, a.event, a.actor_id AS "actorId", u.username AS "actorName", a.target, a.ip, a.detail
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.id < ?1 AND (CAST(?2 AS TEXT) IS NULL OR a.event = ?2)
        AND (CAST(?3 AS BIGINT) IS NULL OR a.actor_id = ?3)
        AND (CAST(?4 AS BIGINT) IS NULL OR a.at >= ?4)
        AND (CAST(?5 AS BIGINT) IS NULL OR a.at <= ?5)
      ORDER BY a.id DESC LIMIT ?6`,
  ),
  events: sql<{ event: string }, []>("SELECT DISTINCT event FROM audit_log ORDER BY event"),
};

/** Records an audit entry in the current transaction; the log line follows the commit. */
export async function appendAudit(tx: Tx, event: AuditEvent, input: AuditInput = {}, now = Date.now()): Promise<void> {
  const detail = input.detail && Object.keys(input.detail).length ? JSON.stringify(input.detail) : null;
  await appendChained(tx, { at: now, event, actorId: input.actorId ?? null, target: input.target ?? null, ip: input.ip || null, detail });
  tx.announce({
    kind: "log",
    level: WARN_EVENTS.has(event) ? "warn" : "info",
    event,
    fields: { audit: true, actorId: input.actorId ?? undefined, target: input.target ?? undefined, ip: input.ip || undefined, ...input.detail },
  });
}

const recordCommand = command("audit.record", async (tx, input: { event: AuditEvent; entry: AuditInput; now: number }) =>
  appendAudit(tx, input.event, input.entry, input.now),
);

export function createAuditLog(store: Store) {
  return {
    /** An entry about something that changed nothing else (a refused login, a rate limit). */
    record(event: AuditEvent, input: AuditInput = {}, now = Date.now()): Promise<void> {
      return store.write(recordCommand, { event, entry: input, now });
    },

    /** Newest first; `before` is an id for paging. */
    async list(options: AuditFilter = {}, db: Conn = store.read): Promise<AuditEntry[]> {
      const rows = await db.all(
        q.page,
        options.before ?? Number.MAX_SAFE_INTEGER,
        options.event ?? null,
        options.actorId ?? null,
        options.from ?? null,
        options.to ?? null,
        Math.min(Math.max(options.limit ?? 100, 1), 500),
      );
      const about = await resolveAbout(db, rows.map((row) => row.target));
      return rows.map((row) => {
        const entry: AuditEntry = { ...row, detail: row.detail ? (JSON.parse(row.detail) as AuditEntry["detail"]) : null };
        const resolved = row.target ? about.get(row.target) : undefined;
        return resolved ? { ...entry, about: resolved } : entry;
      });
    },

    /** The actions the log holds, for the dashboard's filter. */
    async events(db: Conn = store.read): Promise<string[]> {
      return (await db.all(q.events)).map((row) => row.event);
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
