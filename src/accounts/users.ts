// The users table: typed statements and the row -> API shape mapping. Every function takes the
// connection to use: the store's reader, or the transaction of the command it belongs to.
import { sql } from "../db/query.ts";
import type { Conn, Tx } from "../db/store.ts";
import type { AdminUser, User } from "./types.ts";

interface UserRow {
  id: number;
  username: string;
  displayName: string | null;
  isAdmin: number;
  disabled: number;
  mustChangePassword: number;
  createdAt: number;
  lastSeenAt: number | null;
}

export interface UserWithSecret extends User {
  passwordHash: string;
}

const COLUMNS = `id, username, display_name AS "displayName", is_admin AS "isAdmin", disabled,
  must_change_password AS "mustChangePassword", created_at AS "createdAt", last_seen_at AS "lastSeenAt"`;

const q = {
  byId: sql<UserRow, [number]>(`SELECT ${COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL`),
  byKey: sql<UserRow & { passwordHash: string }, [string]>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE username_key = ? AND deleted_at IS NULL`,
  ),
  secretById: sql<UserRow & { passwordHash: string }, [number]>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE id = ? AND deleted_at IS NULL`,
  ),
  keyTaken: sql<{ found: number }, [string]>("SELECT 1 AS found FROM users WHERE username_key = ?"),
  skeletonTaken: sql<{ found: number }, [string]>("SELECT 1 AS found FROM users WHERE skeleton = ?"),
  insert: sql<UserRow, [string, string, string, string | null, string, number, number, number]>(
    `INSERT INTO users (username, username_key, skeleton, display_name, password_hash, is_admin, must_change_password, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  ),
  listAll: sql<UserRow & { sessions: number }, [number]>(
    `SELECT ${COLUMNS}, (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id AND s.expires_at > ?) AS sessions
       FROM users WHERE deleted_at IS NULL ORDER BY username_key`,
  ),
  activeAdmins: sql<{ n: number }, []>("SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 AND disabled = 0 AND deleted_at IS NULL"),
  anyAdmin: sql<{ found: number }, []>("SELECT 1 AS found FROM users WHERE is_admin = 1 AND deleted_at IS NULL LIMIT 1"),
  activeAdmin: sql<{ found: number }, [number]>("SELECT 1 AS found FROM users WHERE id = ? AND is_admin = 1 AND disabled = 0 AND deleted_at IS NULL"),
  setAdmin: sql<UserRow, [number, number]>(`UPDATE users SET is_admin = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`),
  setDisabled: sql<UserRow, [number, number]>(`UPDATE users SET disabled = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`),
  setPassword: sql<UserRow, [string, number, number]>(
    `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  setDisplayName: sql<UserRow, [string | null, number]>(
    `UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  ),
  // The row stays so messages keep their author id; everything that identified the person goes.
  // '#' cannot occur in a real username, so the freed placeholders never collide with one.
  scrub: sql<never, [number, number]>(
    `UPDATE users SET username = 'deleted-' || id, username_key = '#deleted-' || id, skeleton = '#deleted-' || id,
            display_name = NULL, display_skeleton = NULL, password_hash = '', is_admin = 0, disabled = 1, must_change_password = 0,
            last_seen_at = NULL, deleted_at = ?
      WHERE id = ? AND deleted_at IS NULL`,
  ),
  markSeen: sql<never, [number, number]>("UPDATE users SET last_seen_at = ? WHERE id = ?"),
  leaveRooms: sql<{ roomId: number }, [number]>(`DELETE FROM room_members WHERE user_id = ? RETURNING room_id AS "roomId"`),
  // A room keeps an owner while it has members (as when an owner leaves): in each room the account
  // owned alone, its longest-standing other member takes over.
  handOverOwnership: sql<never, [number]>(
    `UPDATE room_members SET role = 'owner'
      WHERE (room_id, user_id) IN (
        SELECT o.room_id, (SELECT x.user_id FROM room_members x WHERE x.room_id = o.room_id AND x.user_id != o.user_id
                            ORDER BY x.joined_at, x.user_id LIMIT 1)
          FROM room_members o
         WHERE o.user_id = ? AND o.role = 'owner'
           AND NOT EXISTS (SELECT 1 FROM room_members y WHERE y.room_id = o.room_id AND y.role = 'owner' AND y.user_id != o.user_id))`,
  ),
};

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    isAdmin: row.isAdmin === 1,
    disabled: row.disabled === 1,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    mustChangePassword: row.mustChangePassword === 1,
  };
}

export interface NewUser {
  username: string;
  key: string;
  skeleton: string;
  displayName: string | null;
  passwordHash: string;
  isAdmin: boolean;
  mustChangePassword: boolean;
}

const one = (row: UserRow | null) => (row ? toUser(row) : null);
const withSecret = (row: (UserRow & { passwordHash: string }) | null): UserWithSecret | null =>
  row ? { ...toUser(row), passwordHash: row.passwordHash } : null;

export const users = {
  get: async (db: Conn, id: number): Promise<User | null> => one(await db.get(q.byId, id)),
  getWithSecret: async (db: Conn, id: number): Promise<UserWithSecret | null> => withSecret(await db.get(q.secretById, id)),
  findByKey: async (db: Conn, key: string): Promise<UserWithSecret | null> => withSecret(await db.get(q.byKey, key)),
  isKeyTaken: async (db: Conn, key: string) => (await db.get(q.keyTaken, key)) !== null,
  isSkeletonTaken: async (db: Conn, skeleton: string) => (await db.get(q.skeletonTaken, skeleton)) !== null,
  /** Whether the user is an admin now (not disabled, not deleted). */
  isActiveAdmin: async (db: Conn, id: number) => (await db.get(q.activeAdmin, id)) !== null,
  /**
   * The actor as a command may trust it: a socket's or request's account is read when it starts and
   * refreshed when an announcement says it changed, which on another node of a cluster arrives a
   * moment later. A command about to use admin rights confirms them in its own transaction, so a
   * demotion is in force from its commit on, everywhere.
   */
  async confirmed<A extends { userId: number; isAdmin: boolean }>(db: Conn, actor: A): Promise<A> {
    if (!actor.isAdmin || (await users.isActiveAdmin(db, actor.userId))) return actor;
    return { ...actor, isAdmin: false };
  },
  /** For the start-up log and the first account: true once an admin exists. */
  hasAdmin: async (db: Conn) => (await db.get(q.anyAdmin)) !== null,
  async list(db: Conn, now = Date.now()): Promise<AdminUser[]> {
    return (await db.all(q.listAll, now)).map((row) => ({ ...toUser(row), sessions: row.sessions }));
  },
  /** Admins who can still act (not disabled, not deleted). */
  countActiveAdmins: async (db: Conn) => (await db.get(q.activeAdmins))!.n,

  async insert(tx: Tx, user: NewUser, now = Date.now()): Promise<User> {
    const row = await tx.get(
      q.insert,
      user.username,
      user.key,
      user.skeleton,
      user.displayName,
      user.passwordHash,
      user.isAdmin ? 1 : 0,
      user.mustChangePassword ? 1 : 0,
      now,
    );
    return toUser(row!);
  },
  setAdmin: async (tx: Tx, id: number, isAdmin: boolean) => one(await tx.get(q.setAdmin, isAdmin ? 1 : 0, id)),
  setDisabled: async (tx: Tx, id: number, disabled: boolean) => one(await tx.get(q.setDisabled, disabled ? 1 : 0, id)),
  setPassword: async (tx: Tx, id: number, hash: string, mustChange: boolean) => one(await tx.get(q.setPassword, hash, mustChange ? 1 : 0, id)),
  setDisplayName: async (tx: Tx, id: number, name: string | null) => one(await tx.get(q.setDisplayName, name, id)),
  scrub: async (tx: Tx, id: number, now = Date.now()) => (await tx.run(q.scrub, now, id)).changes === 1,
  markSeen: async (tx: Tx, id: number, now = Date.now()) => void (await tx.run(q.markSeen, now, id)),
  /** A deleted account leaves every room and DM (its messages stay); returns the rooms it left. */
  async leaveAllRooms(tx: Tx, id: number): Promise<number[]> {
    await tx.run(q.handOverOwnership, id);
    return (await tx.all(q.leaveRooms, id)).map((row) => row.roomId);
  },
};
