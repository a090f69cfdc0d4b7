// The second-factor tables (010_account_security): TOTP secrets, recovery codes, passkeys and the
// per-account security row. Typed statements only; the rules live in the services that use them
// (two-factor.ts, second-step.ts, passkeys.ts).
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";

export interface TotpRow {
  secretBox: Uint8Array;
  createdAt: number;
  enabledAt: number | null;
  lastStep: number;
}

export interface PasskeyRow {
  id: string;
  userId: number;
  publicKey: Uint8Array;
  counter: number;
  transports: string;
  name: string;
  backedUp: number;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface FactorSummary {
  totp: number;
  passkeys: number;
  recoveryLeft: number;
}

const q = {
  totp: sql<TotpRow, [number]>(
    `SELECT secret_box AS "secretBox", created_at AS "createdAt", enabled_at AS "enabledAt", last_step AS "lastStep"
       FROM totp_secrets WHERE user_id = ?`,
  ),
  // A new enrolment replaces an unconfirmed one; never an enabled one (the caller checks first).
  totpPending: sql<never, [number, Uint8Array, number]>(
    `INSERT INTO totp_secrets (user_id, secret_box, created_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET secret_box = excluded.secret_box, created_at = excluded.created_at, enabled_at = NULL, last_step = 0
     WHERE totp_secrets.enabled_at IS NULL`,
  ),
  totpEnable: sql<never, [number, number, number]>(
    "UPDATE totp_secrets SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at IS NULL",
  ),
  // The replay guard: only a step newer than the last one moves it, so two requests racing with the
  // same code cannot both succeed (the second changes nothing).
  totpUseStep: sql<never, [number, number, number]>("UPDATE totp_secrets SET last_step = ? WHERE user_id = ? AND last_step < ? AND enabled_at IS NOT NULL"),
  totpRemove: sql<never, [number]>("DELETE FROM totp_secrets WHERE user_id = ?"),

  codesClear: sql<never, [number]>("DELETE FROM recovery_codes WHERE user_id = ?"),
  codeInsert: sql<never, [number, Uint8Array, number]>("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)"),
  codeUse: sql<never, [number, number, Uint8Array]>("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL"),
  codeUnused: sql<{ found: number }, [number, Uint8Array]>("SELECT 1 AS found FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL"),

  summary: sql<FactorSummary, [number]>(
    `SELECT (SELECT COUNT(*) FROM totp_secrets t WHERE t.user_id = ?1 AND t.enabled_at IS NOT NULL) AS totp,
            (SELECT COUNT(*) FROM passkeys p WHERE p.user_id = ?1) AS passkeys,
            (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = ?1 AND r.used_at IS NULL) AS "recoveryLeft"`,
  ),

  passkeysOf: sql<PasskeyRow, [number]>(
    `SELECT id, user_id AS "userId", public_key AS "publicKey", counter, transports, name, backed_up AS "backedUp",
            created_at AS "createdAt", last_used_at AS "lastUsedAt"
       FROM passkeys WHERE user_id = ? ORDER BY created_at, id`,
  ),
  passkey: sql<PasskeyRow, [string]>(
    `SELECT id, user_id AS "userId", public_key AS "publicKey", counter, transports, name, backed_up AS "backedUp",
            created_at AS "createdAt", last_used_at AS "lastUsedAt"
       FROM passkeys WHERE id = ?`,
  ),
  passkeyInsert: sql<never, [string, number, Uint8Array, number, string, string, number, number]>(
    `INSERT INTO passkeys (id, user_id, public_key, counter, transports, name, backed_up, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  passkeyUsed: sql<never, [number, number, number, string]>(
    // The counter only moves forward (a cloned authenticator would replay an old one); authenticators
    // that keep no counter always say 0.
    "UPDATE passkeys SET counter = ?1, last_used_at = ?2, backed_up = ?3 WHERE id = ?4 AND (?1 > counter OR ?1 = 0)",
  ),
  passkeyRename: sql<{ id: string }, [string, string, number]>("UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ? RETURNING id"),
  passkeyRemove: sql<{ id: string }, [string, number]>("DELETE FROM passkeys WHERE id = ? AND user_id = ? RETURNING id"),
  passkeysRemoveAll: sql<never, [number]>("DELETE FROM passkeys WHERE user_id = ?"),

  handle: sql<{ handle: string | null }, [number]>(`SELECT webauthn_handle AS handle FROM account_security WHERE user_id = ?`),
  userByHandle: sql<{ userId: number }, [string]>(`SELECT user_id AS "userId" FROM account_security WHERE webauthn_handle = ?`),
  setHandle: sql<never, [number, string]>(
    `INSERT INTO account_security (user_id, webauthn_handle) VALUES (?, ?)
     ON CONFLICT (user_id) DO UPDATE SET webauthn_handle = excluded.webauthn_handle WHERE account_security.webauthn_handle IS NULL`,
  ),
  graceUsed: sql<{ used: number }, [number]>("SELECT grace_logins AS used FROM account_security WHERE user_id = ?"),
  graceBump: sql<never, [number]>(
    `INSERT INTO account_security (user_id, grace_logins) VALUES (?, 1)
     ON CONFLICT (user_id) DO UPDATE SET grace_logins = account_security.grace_logins + 1`,
  ),
  graceReset: sql<never, [number]>("UPDATE account_security SET grace_logins = 0 WHERE user_id = ?"),
  securityRemove: sql<never, [number]>("DELETE FROM account_security WHERE user_id = ?"),
};

export const secondFactors = {
  totp: (db: Conn, userId: number) => db.get(q.totp, userId),
  async beginTotp(tx: Tx, userId: number, box: Uint8Array, now: number) {
    await tx.run(q.totpPending, userId, box, now);
  },
  enableTotp: async (tx: Tx, userId: number, step: number, now: number) => (await tx.run(q.totpEnable, now, step, userId)).changes === 1,
  /** Records a used step; false when it was not newer than the last (a replay, or a race lost). */
  useTotpStep: async (tx: Tx, userId: number, step: number) => (await tx.run(q.totpUseStep, step, userId, step)).changes === 1,
  removeTotp: async (tx: Tx, userId: number) => void (await tx.run(q.totpRemove, userId)),

  async replaceRecoveryCodes(tx: Tx, userId: number, hashes: Uint8Array[], now: number) {
    await tx.run(q.codesClear, userId);
    for (const hash of hashes) await tx.run(q.codeInsert, userId, hash, now);
  },
  clearRecoveryCodes: async (tx: Tx, userId: number) => void (await tx.run(q.codesClear, userId)),
  /** Marks an unused code used; false when there is no such unused code. */
  useRecoveryCode: async (tx: Tx, userId: number, hash: Uint8Array, now: number) => (await tx.run(q.codeUse, now, userId, hash)).changes === 1,
  hasUnusedRecoveryCode: async (db: Conn, userId: number, hash: Uint8Array) => (await db.get(q.codeUnused, userId, hash)) !== null,

  summary: async (db: Conn, userId: number): Promise<FactorSummary> => (await db.get(q.summary, userId))!,
  /** Whether the account has a second factor: TOTP on or at least one passkey. */
  has: async (db: Conn, userId: number) => {
    const s = await secondFactors.summary(db, userId);
    return s.totp > 0 || s.passkeys > 0;
  },

  passkeys: (db: Conn, userId: number) => db.all(q.passkeysOf, userId),
  passkey: (db: Conn, id: string) => db.get(q.passkey, id),
  async addPasskey(tx: Tx, row: Omit<PasskeyRow, "lastUsedAt">) {
    await tx.run(q.passkeyInsert, row.id, row.userId, row.publicKey, row.counter, row.transports, row.name, row.backedUp, row.createdAt);
  },
  /** Records a use; false when the counter did not move forward (a possible clone). */
  passkeyUsed: async (tx: Tx, id: string, counter: number, backedUp: boolean, now: number) =>
    (await tx.run(q.passkeyUsed, counter, now, backedUp ? 1 : 0, id)).changes === 1,
  renamePasskey: async (tx: Tx, userId: number, id: string, name: string) => (await tx.all(q.passkeyRename, name, id, userId)).length === 1,
  removePasskey: async (tx: Tx, userId: number, id: string) => (await tx.all(q.passkeyRemove, id, userId)).length === 1,

  handle: async (db: Conn, userId: number) => (await db.get(q.handle, userId))?.handle ?? null,
  /** Sets the account's WebAuthn handle unless it has one; returns the one it has now. */
  async ensureHandle(tx: Tx, userId: number, candidate: string): Promise<string> {
    await tx.run(q.setHandle, userId, candidate);
    return (await secondFactors.handle(tx, userId))!;
  },
  userByHandle: async (db: Conn, handle: string) => (await db.get(q.userByHandle, handle))?.userId ?? null,
  graceUsed: async (db: Conn, userId: number) => (await db.get(q.graceUsed, userId))?.used ?? 0,
  bumpGrace: async (tx: Tx, userId: number) => void (await tx.run(q.graceBump, userId)),
  resetGrace: async (tx: Tx, userId: number) => void (await tx.run(q.graceReset, userId)),

  /** Every second factor of the account goes (admin reset, account deletion). */
  async removeAll(tx: Tx, userId: number) {
    await tx.run(q.totpRemove, userId);
    await tx.run(q.codesClear, userId);
    await tx.run(q.passkeysRemoveAll, userId);
  },
  async scrub(tx: Tx, userId: number) {
    await secondFactors.removeAll(tx, userId);
    await tx.run(q.securityRemove, userId);
  },
};
