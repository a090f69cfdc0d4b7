// Half-sessions: what a correct password buys an account that has a second factor. It is not a
// session: it lives in its own table and its own cookie, which only the second-factor routes read,
// so it can do nothing but submit a second factor, for 5 minutes, with at most 5 wrong tries. Like a
// session it is an id plus a secret of which only the SHA-256 is kept, and it lives in the database,
// so the second step may land on any node of a cluster.
import { timingSafeEqual } from "node:crypto";
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import type { SessionMeta } from "./sessions.ts";

export const HALF_SESSION_COOKIE = "__Host-vaultroom_2fa";
export const HALF_SESSION_MS = 5 * 60_000;
export const HALF_SESSION_MAX_FAILURES = 5;

export interface HalfSession {
  id: string;
  userId: number;
  failures: number;
  replacing: string | null;
}

const randomToken = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const sha256 = (text: string) => new Uint8Array(new Bun.CryptoHasher("sha256").update(text).digest());

const q = {
  insert: sql<never, [string, Uint8Array, number, number, number, string, string, string | null]>(
    `INSERT INTO login_challenges (id, secret_hash, user_id, created_at, expires_at, ip, user_agent, replacing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  find: sql<HalfSession & { secretHash: Uint8Array; expiresAt: number }, [string]>(
    `SELECT c.id, c.secret_hash AS "secretHash", c.user_id AS "userId", c.failures, c.replacing, c.expires_at AS "expiresAt"
       FROM login_challenges c JOIN users u ON u.id = c.user_id
      WHERE c.id = ? AND u.deleted_at IS NULL AND u.disabled = 0`,
  ),
  fail: sql<{ failures: number }, [string]>("UPDATE login_challenges SET failures = failures + 1 WHERE id = ? RETURNING failures"),
  remove: sql<{ id: string }, [string]>("DELETE FROM login_challenges WHERE id = ? RETURNING id"),
  removeForUser: sql<never, [number]>("DELETE FROM login_challenges WHERE user_id = ?"),
  sweep: sql<never, [number]>("DELETE FROM login_challenges WHERE expires_at <= ?"),
};

export const halfSessions = {
  /** Starts one; returns the cookie value (`id.secret`). */
  async create(tx: Tx, userId: number, meta: SessionMeta, replacing: string | null, now: number): Promise<string> {
    const id = randomToken(16);
    const secret = randomToken(32);
    await tx.run(q.insert, id, sha256(secret), userId, now, now + HALF_SESSION_MS, meta.ip.slice(0, 64), meta.userAgent.slice(0, 256), replacing);
    return `${id}.${secret}`;
  },

  /** The live half-session behind a cookie value, or null (ended, expired, used up, forged). */
  async find(db: Conn, token: string | undefined, now = Date.now()): Promise<HalfSession | null> {
    if (!token || token.length > 200) return null;
    const [id, secret] = token.split(".", 2);
    if (!id || !secret) return null;
    const row = await db.get(q.find, id);
    if (!row || row.expiresAt <= now || row.failures >= HALF_SESSION_MAX_FAILURES) return null;
    const given = sha256(secret);
    if (given.length !== row.secretHash.length || !timingSafeEqual(given, row.secretHash)) return null;
    return { id: row.id, userId: row.userId, failures: row.failures, replacing: row.replacing };
  },

  /** Whether the half-session with this id may still finish a login (for the check inside a command). */
  async alive(db: Conn, id: string, now: number): Promise<boolean> {
    const row = await db.get(q.find, id);
    return row !== null && row.expiresAt > now && row.failures < HALF_SESSION_MAX_FAILURES;
  },

  /** Counts a wrong factor; the fifth ends the half-session. Returns whether it is still alive. */
  async fail(tx: Tx, id: string): Promise<boolean> {
    const row = await tx.get(q.fail, id);
    if (!row) return false;
    if (row.failures >= HALF_SESSION_MAX_FAILURES) {
      await tx.run(q.remove, id);
      return false;
    }
    return true;
  },

  /** Ends it (used, or abandoned); returns whether it was still there. */
  end: async (tx: Tx, id: string) => (await tx.all(q.remove, id)).length === 1,
  endForUser: async (tx: Tx, userId: number) => void (await tx.run(q.removeForUser, userId)),
  sweep: async (tx: Tx, now: number) => void (await tx.run(q.sweep, now)),
};
