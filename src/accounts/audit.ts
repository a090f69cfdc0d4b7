// The audit trail: every admin action and security event goes to the audit_log table and to the
// JSON log. Callers pass names, ids and reasons only; never passwords, tokens or cookies.
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
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
const PRUNE_EVERY = 1000;

export function createAuditLog(db: Database, logger: Logger) {
  const insert = db.query(
    "INSERT INTO audit_log (at, event, actor_id, target, ip, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  );
  const prune = db.query("DELETE FROM audit_log WHERE id <= ?");
  const page = db.query(
    `SELECT a.id, a.at, a.event, a.actor_id AS actorId, u.username AS actorName, a.target, a.ip, a.detail
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.id < ? AND (? IS NULL OR a.event = ?)
      ORDER BY a.id DESC LIMIT ?`,
  );
  let sincePrune = 0;

  return {
    record(event: string, input: AuditInput = {}, now = Date.now()): void {
      const detail = input.detail && Object.keys(input.detail).length ? JSON.stringify(input.detail) : null;
      const row = insert.get(now, event, input.actorId ?? null, input.target ?? null, input.ip || null, detail) as { id: number };
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        prune.run(row.id - MAX_ROWS);
      }
      const fields = { audit: true, actorId: input.actorId ?? undefined, target: input.target ?? undefined, ip: input.ip || undefined, ...input.detail };
      if (WARN_EVENTS.has(event)) logger.warn(event, fields);
      else logger.info(event, fields);
    },

    /** Newest first; `before` is an id for paging. */
    list(options: { before?: number; limit?: number; event?: string } = {}): AuditEntry[] {
      const event = options.event ?? null;
      const rows = page.all(options.before ?? Number.MAX_SAFE_INTEGER, event, event, Math.min(Math.max(options.limit ?? 100, 1), 500)) as Array<
        Omit<AuditEntry, "detail"> & { detail: string | null }
      >;
      return rows.map((row) => ({ ...row, detail: row.detail ? (JSON.parse(row.detail) as AuditEntry["detail"]) : null }));
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
