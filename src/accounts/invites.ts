// Invite links: the token is shown once to the admin; only its SHA-256 is stored. Each invite has
// an expiry and a use limit and can be revoked.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import { errors } from "../errors.ts";
import type { Invite, InviteStatus } from "./types.ts";

export const INVITE_DEFAULT_HOURS = 168;
export const INVITE_MAX_HOURS = 720;
export const INVITE_MAX_USES = 1000;

/** An invite as stored; its status is derived from the clock, never stored. */
type InviteRow = Omit<Invite, "status">;

const COLUMNS = `id, created_by AS "createdBy", created_at AS "createdAt", expires_at AS "expiresAt", max_uses AS "maxUses",
  uses, revoked_at AS "revokedAt", room_id AS "roomId"`;

const randomToken = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("base64url");
const sha256 = (text: string) => new Bun.CryptoHasher("sha256").update(text).digest();

const q = {
  insert: sql<InviteRow, [string, Uint8Array, number | null, number, number, number, number | null]>(
    `INSERT INTO invites (id, token_hash, created_by, created_at, expires_at, max_uses, room_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  ),
  listAll: sql<InviteRow, []>(`SELECT ${COLUMNS} FROM invites ORDER BY created_at DESC LIMIT 500`),
  byHash: sql<InviteRow, [Uint8Array]>(`SELECT ${COLUMNS} FROM invites WHERE token_hash = ?`),
  use: sql<never, [string]>("UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses"),
  revoke: sql<InviteRow, [number, string]>(`UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${COLUMNS}`),
  byId: sql<InviteRow, [string]>(`SELECT ${COLUMNS} FROM invites WHERE id = ?`),
};

export function inviteStatus(row: InviteRow, now = Date.now()): InviteStatus {
  if (row.revokedAt !== null) return "revoked";
  if (row.uses >= row.maxUses) return "used_up";
  if (row.expiresAt <= now) return "expired";
  return "active";
}

const toInvite = (row: InviteRow, now = Date.now()): Invite => ({ ...row, status: inviteStatus(row, now) });

export const invites = {
  /** `roomId`: the room the new account joins once registered with it (made from that room's "Add people"). */
  async create(tx: Tx, createdBy: number | null, options: { expiresInHours: number; maxUses: number; roomId?: number | null }, now = Date.now()) {
    const token = randomToken(32);
    const row = await tx.get(q.insert, randomToken(9), sha256(token), createdBy, now, now + options.expiresInHours * 3600_000, options.maxUses, options.roomId ?? null);
    return { invite: toInvite(row!, now), token };
  },

  async list(db: Conn, now = Date.now()): Promise<Invite[]> {
    return (await db.all(q.listAll)).map((row) => toInvite(row, now));
  },

  /** Checks a token without using it: the registration's cheap early answer. */
  async check(db: Conn, token: string, now = Date.now()): Promise<Invite> {
    const row = token.length <= 128 ? await db.get(q.byHash, sha256(token)) : null;
    if (!row) throw errors.forbidden("invite_invalid", "This invite link is not valid.");
    const status = inviteStatus(row, now);
    if (status === "expired") throw errors.forbidden("invite_expired", "This invite link has expired.");
    if (status === "used_up") throw errors.forbidden("invite_used_up", "This invite link has already been used.");
    if (status === "revoked") throw errors.forbidden("invite_invalid", "This invite link is not valid.");
    return toInvite(row, now);
  },

  /** Checks and counts one use, inside the registration's transaction. */
  async consume(tx: Tx, token: string, now = Date.now()): Promise<Invite> {
    const invite = await invites.check(tx, token, now);
    await tx.run(q.use, invite.id);
    return { ...invite, uses: invite.uses + 1 };
  },

  /** Returns the revoked invite, or null when there is no such invite; revoking twice is harmless. */
  async revoke(tx: Tx, id: string, now = Date.now()): Promise<Invite | null> {
    const row = await tx.get(q.revoke, now, id);
    if (row) return toInvite(row, now);
    const existing = await tx.get(q.byId, id);
    return existing ? toInvite(existing, now) : null;
  },
};
