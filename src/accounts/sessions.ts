// Sessions after lucia: an id plus a secret of which only a hash is stored, compared in constant
// time; expiry slides with use; a new session on every login. Every way a session ends announces
// `sessions.ended` from inside the transaction that ends it, so its sockets close on every node.
import { timingSafeEqual } from "node:crypto";
import { sql } from "../db/query.ts";
import { command, type Conn, type Store, type Tx } from "../db/store.ts";
import { SESSION_IDLE_MS, type SessionTokens, type TokenClaims } from "./session-tokens.ts";
import { GRACE_KEY, mustEnrol, parsePolicy, POLICY_KEY } from "./factor-policy.ts";

export interface Actor {
  userId: number;
  sessionId: string;
  username: string;
  displayName: string | null;
  isAdmin: boolean;
  /** After a reset: only the password change (and me/logout/sessions) is allowed until it is done. */
  mustChangePassword: boolean;
  /**
   * The admin's policy wants a second factor, the grace logins are used up and the account has none:
   * only enrolment (and me/logout/sessions) is allowed until it has one (factor-policy.ts).
   */
  mustEnrolSecondFactor: boolean;
}

/** A session that may only finish a step (new password, second factor) before using the app. */
export const isLimitedSession = (actor: Actor) => actor.mustChangePassword || actor.mustEnrolSecondFactor;

export interface SessionMeta {
  userAgent: string;
  ip: string;
}

export interface SessionRow {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string;
  ip: string;
}

/**
 * Sessions one user keeps; a login past this ends the least recently used ones, so repeated logins
 * (scripts, a password that leaked) cannot grow the table and the session list without bound.
 */
export const MAX_SESSIONS_PER_USER = 100;

/** last_seen_at is written at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

const randomToken = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

interface LookupRow {
  id: string;
  secretHash: Uint8Array;
  lastSeenAt: number;
  expiresAt: number;
  userId: number;
  username: string;
  displayName: string | null;
  isAdmin: number;
  disabled: number;
  mustChangePassword: number;
  factorPolicy: string | null;
  factorGrace: string | null;
  hasSecondFactor: number;
  graceUsed: number;
}

const q = {
  insert: sql<never, [string, Uint8Array, number, number, number, number, string, string]>(
    `INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  lookup: sql<LookupRow, [string]>(
    `SELECT s.id, s.secret_hash AS "secretHash", s.last_seen_at AS "lastSeenAt", s.expires_at AS "expiresAt",
            u.id AS "userId", u.username, u.display_name AS "displayName", u.is_admin AS "isAdmin", u.disabled,
            u.must_change_password AS "mustChangePassword",
            (SELECT value FROM settings WHERE key = '${POLICY_KEY}') AS "factorPolicy",
            (SELECT value FROM settings WHERE key = '${GRACE_KEY}') AS "factorGrace",
            CASE WHEN EXISTS (SELECT 1 FROM totp_secrets t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id) THEN 1 ELSE 0 END AS "hasSecondFactor",
            COALESCE((SELECT a.grace_logins FROM account_security a WHERE a.user_id = u.id), 0) AS "graceUsed"
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ? AND u.deleted_at IS NULL`,
  ),
  touch: sql<never, [number, number, string]>("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?"),
  touchUser: sql<never, [number, number]>("UPDATE users SET last_seen_at = ? WHERE id = ?"),
  remove: sql<{ id: string }, [string]>("DELETE FROM sessions WHERE id = ? RETURNING id"),
  removeOwn: sql<{ id: string }, [string, number]>("DELETE FROM sessions WHERE id = ? AND user_id = ? RETURNING id"),
  removeForUser: sql<{ id: string }, [number, string]>("DELETE FROM sessions WHERE user_id = ? AND id != ? RETURNING id"),
  listForUser: sql<SessionRow, [number, number]>(
    `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt",
            user_agent AS "userAgent", ip
       FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`,
  ),
  removeExpired: sql<{ id: string }, [number]>("DELETE FROM sessions WHERE expires_at <= ? RETURNING id"),
  removeBeyond: sql<{ id: string }, [number, number, number]>(
    `DELETE FROM sessions WHERE user_id = ? AND id NOT IN (
       SELECT id FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, created_at DESC, id LIMIT ?)
     RETURNING id`,
  ),
  // Which of these sessions may still act: the periodic check of open sockets (ws/session-watch.ts).
  live: sql<{ id: string }, [string[], number]>({
    sqlite: `SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE s.id IN (SELECT value FROM json_each(?)) AND s.expires_at > ? AND u.disabled = 0 AND u.deleted_at IS NULL`,
    postgres: `SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = ANY(?::text[]) AND s.expires_at > ? AND u.disabled = 0 AND u.deleted_at IS NULL`,
  }),
};

/** Announces the ends in the transaction that made them: the sockets close once it commits. */
function ended(tx: Tx, ids: string[], reason: string): string[] {
  if (ids.length) tx.announce({ kind: "sessions.ended", sessionIds: ids, reason });
  return ids;
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

const touchSession = command("sessions.touch", async (tx, input: { id: string; userId: number; now: number }) => {
  await tx.run(q.touch, input.now, input.now + SESSION_IDLE_MS, input.id);
  await tx.run(q.touchUser, input.now, input.userId);
});

export const sessions = {
  /** Starts a new session; returns the claims to sign into the cookie. */
  async create(tx: Tx, userId: number, meta: SessionMeta, now = Date.now()): Promise<{ sid: string; sec: string }> {
    const sid = randomToken(16);
    const sec = randomToken(32);
    await tx.run(q.insert, sid, sha256(sec), userId, now, now, now + SESSION_IDLE_MS, meta.userAgent.slice(0, 256), meta.ip.slice(0, 64));
    return { sid, sec };
  },

  /** The actor behind verified token claims, or null when the session has ended. Slides the expiry. */
  async validate(store: Store, claims: TokenClaims, now = Date.now()): Promise<Actor | null> {
    const row = await store.read.get(q.lookup, claims.sid);
    if (!row || row.expiresAt <= now || row.disabled) return null;
    const given = sha256(claims.sec);
    if (given.length !== row.secretHash.length || !timingSafeEqual(given, row.secretHash)) return null;
    if (now - row.lastSeenAt > TOUCH_INTERVAL_MS) {
      // Not awaited: the request needs no durable "last seen", and a failure here is harmless.
      store.write(touchSession, { id: row.id, userId: row.userId, now }).catch(() => {});
    }
    return {
      userId: row.userId,
      sessionId: row.id,
      username: row.username,
      displayName: row.displayName,
      isAdmin: row.isAdmin === 1,
      mustChangePassword: row.mustChangePassword === 1,
      mustEnrolSecondFactor: mustEnrol(parsePolicy(row.factorPolicy, row.factorGrace), {
        isAdmin: row.isAdmin === 1,
        hasSecondFactor: row.hasSecondFactor === 1,
        graceUsed: row.graceUsed,
      }),
    };
  },

  list: (db: Conn, userId: number, now = Date.now()): Promise<SessionRow[]> => db.all(q.listForUser, userId, now),

  /** The ids among `sessionIds` that are still valid (not ended, not expired, account active). */
  async stillLive(db: Conn, sessionIds: string[], now = Date.now()): Promise<Set<string>> {
    return new Set(ids(await db.all(q.live, sessionIds, now)));
  },

  /** Ends one session; returns whether it existed. */
  end: async (tx: Tx, sessionId: string, reason: string) => ended(tx, ids(await tx.all(q.remove, sessionId)), reason).length > 0,

  /** Ends one of the user's own sessions; another user's session id is treated as missing. */
  endOwn: async (tx: Tx, userId: number, sessionId: string) =>
    ended(tx, ids(await tx.all(q.removeOwn, sessionId, userId)), "revoked").length > 0,

  /** Ends every session of a user except `keep` (pass "" to end all); returns the ended ids. */
  endAllForUser: async (tx: Tx, userId: number, reason: string, keep = "") => ended(tx, ids(await tx.all(q.removeForUser, userId, keep)), reason),

  /** Ends the user's least recently used sessions beyond `keep`; returns the ended ids. */
  endBeyond: async (tx: Tx, userId: number, keep = MAX_SESSIONS_PER_USER) =>
    ended(tx, ids(await tx.all(q.removeBeyond, userId, userId, keep)), "too_many_sessions"),

  sweepExpired: async (tx: Tx, now = Date.now()) => ended(tx, ids(await tx.all(q.removeExpired, now)), "expired"),
};

/** Drops expired sessions (and closes their sockets): run now and then by the server. */
export const sweepExpiredSessions = command("sessions.sweepExpired", async (tx, now: number) => (await sessions.sweepExpired(tx, now)).length);

export async function authenticateToken(tokens: SessionTokens, store: Store, token: string | undefined) {
  const claims = await tokens.verify(token);
  if (!claims) return null;
  const actor = await sessions.validate(store, claims);
  return actor ? { actor, claims } : null;
}
