// Invite links: the token is shown once to the admin; only its SHA-256 is stored. Each invite has
// an expiry and a use limit and can be revoked.
import type { Database } from "bun:sqlite";
import { errors } from "../http/errors.ts";
import type { Invite, InviteStatus } from "./types.ts";

export const INVITE_DEFAULT_HOURS = 168;
export const INVITE_MAX_HOURS = 720;
export const INVITE_MAX_USES = 1000;

/** An invite as stored; its status is derived from the clock, never stored. */
type InviteRow = Omit<Invite, "status">;

const COLUMNS = `id, created_by AS createdBy, created_at AS createdAt, expires_at AS expiresAt, max_uses AS maxUses,
  uses, revoked_at AS revokedAt`;

const randomToken = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

export function inviteStatus(row: InviteRow, now = Date.now()): InviteStatus {
  if (row.revokedAt !== null) return "revoked";
  if (row.uses >= row.maxUses) return "used_up";
  if (row.expiresAt <= now) return "expired";
  return "active";
}

const toInvite = (row: InviteRow, now = Date.now()): Invite => ({ ...row, status: inviteStatus(row, now) });

export function createInviteStore(db: Database) {
  const insert = db.query(
    `INSERT INTO invites (id, token_hash, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const listAll = db.query(`SELECT ${COLUMNS} FROM invites ORDER BY created_at DESC LIMIT 500`);
  const byHash = db.query(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ?`);
  const use = db.query("UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses");
  const revoke = db.query(`UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`);
  const byId = db.query(`SELECT ${COLUMNS} FROM invites WHERE id = ?`);

  return {
    create(createdBy: number | null, options: { expiresInHours: number; maxUses: number }, now = Date.now()) {
      const token = randomToken(32);
      const row = insert.get(randomToken(9), sha256(token), createdBy, now, now + options.expiresInHours * 3600_000, options.maxUses) as InviteRow;
      return { invite: toInvite(row, now), token };
    },

    list(now = Date.now()): Invite[] {
      return (listAll.all() as InviteRow[]).map((row) => toInvite(row, now));
    },

    /** Checks a token without using it: the registration's cheap early answer. */
    check(token: string, now = Date.now()): Invite {
      const row = token.length <= 128 ? (byHash.get(sha256(token)) as InviteRow | null) : null;
      if (!row) throw errors.forbidden("invite_invalid", "This invite link is not valid.");
      const status = inviteStatus(row, now);
      if (status === "expired") throw errors.forbidden("invite_expired", "This invite link has expired.");
      if (status === "used_up") throw errors.forbidden("invite_used_up", "This invite link has already been used.");
      if (status === "revoked") throw errors.forbidden("invite_invalid", "This invite link is not valid.");
      return toInvite(row, now);
    },

    /** Checks and counts one use; call inside the registration's transaction. */
    consume(token: string, now = Date.now()): Invite {
      const invite = this.check(token, now);
      use.run(invite.id);
      return { ...invite, uses: invite.uses + 1 };
    },

    /** Returns the revoked invite, or null when there is no such invite; revoking twice is harmless. */
    revoke(id: string, now = Date.now()): Invite | null {
      const row = revoke.get(now, id) as InviteRow | null;
      if (row) return toInvite(row, now);
      const existing = byId.get(id) as InviteRow | null;
      return existing ? toInvite(existing, now) : null;
    },
  };
}

export type InviteStore = ReturnType<typeof createInviteStore>;
