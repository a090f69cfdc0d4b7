// Sessions after lucia: an id plus a secret of which only a hash is stored, compared in constant
// time; expiry slides with use; a new session on every login.
import type { Database } from "bun:sqlite";
import { timingSafeEqual } from "node:crypto";
import { SESSION_IDLE_MS, type SessionTokens, type TokenClaims } from "./session-tokens.ts";

export interface Actor {
  userId: number;
  sessionId: string;
  username: string;
  displayName: string | null;
  isAdmin: boolean;
  /** After a reset: only the password change (and me/logout/sessions) is allowed until it is done. */
  mustChangePassword: boolean;
}

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

export function createSessionStore(db: Database) {
  const insert = db.query(
    `INSERT INTO sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const lookup = db.query(
    `SELECT s.id, s.secret_hash AS secretHash, s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt,
            u.id AS userId, u.username, u.display_name AS displayName, u.is_admin AS isAdmin, u.disabled,
            u.must_change_password AS mustChangePassword
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = ? AND u.deleted_at IS NULL`,
  );
  const touch = db.query("UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?");
  const touchUser = db.query("UPDATE users SET last_seen_at = ? WHERE id = ?");
  const remove = db.query("DELETE FROM sessions WHERE id = ? RETURNING id");
  const removeOwn = db.query("DELETE FROM sessions WHERE id = ? AND user_id = ? RETURNING id");
  const removeForUser = db.query("DELETE FROM sessions WHERE user_id = ? AND id != ? RETURNING id");
  const listForUser = db.query(
    `SELECT id, created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt,
            user_agent AS userAgent, ip
       FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC`,
  );
  const removeExpired = db.query("DELETE FROM sessions WHERE expires_at <= ? RETURNING id");
  const removeBeyond = db.query(
    `DELETE FROM sessions WHERE user_id = ? AND id NOT IN (
       SELECT id FROM sessions WHERE user_id = ? ORDER BY last_seen_at DESC, created_at DESC, id LIMIT ?)
     RETURNING id`,
  );

  return {
    /** Starts a new session; returns the claims to sign into the cookie. */
    create(userId: number, meta: SessionMeta, now = Date.now()): { sid: string; sec: string } {
      const sid = randomToken(16);
      const sec = randomToken(32);
      insert.run(sid, sha256(sec), userId, now, now, now + SESSION_IDLE_MS, meta.userAgent.slice(0, 256), meta.ip.slice(0, 64));
      return { sid, sec };
    },

    /** The actor behind verified token claims, or null when the session has ended. */
    validate(claims: TokenClaims, now = Date.now()): Actor | null {
      const row = lookup.get(claims.sid) as
        | {
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
          }
        | null;
      if (!row || row.expiresAt <= now || row.disabled) return null;
      const given = sha256(claims.sec);
      if (given.length !== row.secretHash.length || !timingSafeEqual(given, row.secretHash)) return null;
      if (now - row.lastSeenAt > TOUCH_INTERVAL_MS) {
        touch.run(now, now + SESSION_IDLE_MS, row.id);
        touchUser.run(now, row.userId);
      }
      return {
        userId: row.userId,
        sessionId: row.id,
        username: row.username,
        displayName: row.displayName,
        isAdmin: row.isAdmin === 1,
        mustChangePassword: row.mustChangePassword === 1,
      };
    },

    list(userId: number, now = Date.now()): SessionRow[] {
      return listForUser.all(userId, now) as SessionRow[];
    },

    /** Ends one session; returns whether it existed. */
    end(sessionId: string): boolean {
      return remove.get(sessionId) !== null;
    },

    /** Ends one of the user's own sessions; another user's session id is treated as missing. */
    endOwn(userId: number, sessionId: string): boolean {
      return removeOwn.get(sessionId, userId) !== null;
    },

    /** Ends every session of a user except `keep` (pass "" to end all); returns the ended ids. */
    endAllForUser(userId: number, keep = ""): string[] {
      return (removeForUser.all(userId, keep) as { id: string }[]).map((r) => r.id);
    },

    /** Ends the user's least recently used sessions beyond `keep`; returns the ended ids. */
    endBeyond(userId: number, keep = MAX_SESSIONS_PER_USER): string[] {
      return (removeBeyond.all(userId, userId, keep) as { id: string }[]).map((r) => r.id);
    },

    sweepExpired(now = Date.now()): string[] {
      return (removeExpired.all(now) as { id: string }[]).map((r) => r.id);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

export async function authenticateToken(tokens: SessionTokens, sessions: SessionStore, token: string | undefined) {
  const claims = await tokens.verify(token);
  if (!claims) return null;
  const actor = sessions.validate(claims);
  return actor ? { actor, claims } : null;
}
