// One-time password reset links, instead of a temporary password an admin would have to type and
// read out: the admin (or the operator's `vaultroom user reset-password`) gets a link holding 256
// random bits, of which only the SHA-256 is stored; it works once, for 24 hours, and a newer link
// replaces an unused older one. Using it sets the new password and ends every session of the account.
// It does not bypass two-factor sign-in: the next login still asks for the second factor (an admin
// can reset those separately, admin.ts).
import { command } from "../db/store.ts";
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { AppError, errors } from "../errors.ts";
import type { Accounts, RequestMeta } from "./accounts.ts";
import { appendAudit } from "./audit.ts";
import { halfSessions } from "./half-sessions.ts";
import { assertPasswordLength, assertPasswordRules } from "./password-rules.ts";
import { sessions } from "./sessions.ts";
import type { ResetLinkResponse, User } from "./types.ts";
import { usernameKey } from "./usernames.ts";
import { users } from "./users.ts";

export const RESET_LINK_MS = 24 * 3600_000;

const randomToken = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const sha256 = (text: string) => new Uint8Array(new Bun.CryptoHasher("sha256").update(text).digest());

export const resetLinkInvalid = () =>
  new AppError(400, "reset_link_invalid", "This reset link is not valid: it was already used, it has expired, or a newer one replaced it.");

interface ResetRow {
  id: string;
  userId: number;
  expiresAt: number;
  usedAt: number | null;
}

const q = {
  removeUnused: sql<never, [number]>("DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL"),
  removeForUser: sql<never, [number]>("DELETE FROM password_resets WHERE user_id = ?"),
  insert: sql<never, [string, Uint8Array, number, number | null, number, number]>(
    "INSERT INTO password_resets (id, token_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
  ),
  byHash: sql<ResetRow, [Uint8Array]>(
    `SELECT id, user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt" FROM password_resets WHERE token_hash = ?`,
  ),
  live: sql<{ id: string }, [string, number]>("SELECT id FROM password_resets WHERE id = ? AND used_at IS NULL AND expires_at > ?"),
  use: sql<never, [number, string]>("UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL"),
};

export const passwordResets = {
  removeForUser: async (tx: Tx, userId: number) => void (await tx.run(q.removeForUser, userId)),
  /** The link's row if it may still be used; null otherwise (unknown, used, expired). */
  async usable(db: Conn, token: string, now = Date.now()): Promise<ResetRow | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = await db.get(q.byHash, sha256(token));
    return row && row.usedAt === null && row.expiresAt > now ? row : null;
  },
};

const createCommand = command(
  "passwordResets.create",
  async (tx, input: { actorId: number | null; ip: string | null; targetId: number; tokenHash: Uint8Array; now: number }) => {
    const user = await users.get(tx, input.targetId);
    if (!user) throw errors.notFound("user_not_found", "There is no such user.");
    await tx.run(q.removeUnused, input.targetId);
    await tx.run(q.insert, randomToken(12), input.tokenHash, input.targetId, input.actorId, input.now, input.now + RESET_LINK_MS);
    await appendAudit(tx, "password_reset_link_created", {
      actorId: input.actorId,
      target: user.username,
      ip: input.ip,
      detail: { userId: user.id, by: input.actorId === null ? "cli" : "admin", expiresAt: input.now + RESET_LINK_MS },
    });
    return user;
  },
);

/** A new reset link for `targetId` (shown once). `actor` null: the operator's CLI. */
export async function createResetLink(accounts: Accounts, actor: { userId: number } | null, targetId: number, meta: RequestMeta | null): Promise<ResetLinkResponse> {
  if (actor && actor.userId === targetId) throw errors.conflict("use_account_settings", "Change your own password in your account settings.");
  const token = randomToken(32);
  const now = Date.now();
  const user = await accounts.store.write(createCommand, { actorId: actor?.userId ?? null, ip: meta?.ip ?? null, targetId, tokenHash: sha256(token), now });
  // The token rides in the fragment: browsers never send it to the server, so no log holds it.
  return { user, link: `/reset-password#token=${token}`, expiresAt: now + RESET_LINK_MS };
}

const useCommand = command(
  "passwordResets.use",
  async (tx, input: { id: string; userId: number; hash: string; ip: string; now: number }): Promise<User> => {
    // Checked again in the transaction: two tabs submitting the same link, one wins.
    if (!(await tx.get(q.live, input.id, input.now)) || !(await users.get(tx, input.userId))) throw resetLinkInvalid();
    await tx.run(q.use, input.now, input.id);
    const updated = (await users.setPassword(tx, input.userId, input.hash, false))!;
    const ended = await sessions.endAllForUser(tx, input.userId, "password_reset");
    await halfSessions.endForUser(tx, input.userId);
    await appendAudit(tx, "password_reset_used", { actorId: input.userId, target: updated.username, ip: input.ip, detail: { endedSessions: ended.length } });
    return updated;
  },
);

/**
 * Whom a usable link is for, so that its page says which account gets the new password (issue 19:
 * someone handed two links, or one for a shared machine, could not tell). Only the person holding the
 * link learns this, and only while it works; null for any other token (answered with a 200, as the
 * session probe is: a spent link is an expected answer, not an error in the browser's console).
 */
export async function resetLinkAccount(accounts: Accounts, token: string): Promise<{ account: { username: string; displayName: string | null } | null }> {
  const row = await passwordResets.usable(accounts.store.read, token);
  const user = row ? await users.get(accounts.store.read, row.userId) : null;
  return { account: user ? { username: user.username, displayName: user.displayName } : null };
}

/** Sets a new password through a reset link; the link is then spent and every session ends. */
export async function useResetLink(accounts: Accounts, token: string, newPassword: string, meta: RequestMeta): Promise<User> {
  assertPasswordLength(newPassword);
  const row = await passwordResets.usable(accounts.store.read, token);
  if (!row) throw resetLinkInvalid();
  const user = await users.get(accounts.store.read, row.userId);
  if (!user) throw resetLinkInvalid();
  await accounts.limits.take("login", meta.ip, usernameKey(user.username), accounts.audit, user.username);
  assertPasswordRules(newPassword, usernameKey(user.username));
  const hash = await accounts.passwords.hash(newPassword, meta.ip);
  return accounts.store.write(useCommand, { id: row.id, userId: row.userId, hash, ip: meta.ip, now: Date.now() });
}
