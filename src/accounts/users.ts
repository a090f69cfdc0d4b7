// The users table: prepared statements and the row -> API shape mapping.
import type { Database } from "bun:sqlite";
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

const COLUMNS = `id, username, display_name AS displayName, is_admin AS isAdmin, disabled,
  must_change_password AS mustChangePassword, created_at AS createdAt, last_seen_at AS lastSeenAt`;

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

export function createUserStore(db: Database) {
  const byId = db.query(`SELECT ${COLUMNS} FROM users WHERE id = ? AND deleted_at IS NULL`);
  const byKey = db.query(`SELECT ${COLUMNS}, password_hash AS passwordHash FROM users WHERE username_key = ? AND deleted_at IS NULL`);
  const secretById = db.query(`SELECT ${COLUMNS}, password_hash AS passwordHash FROM users WHERE id = ? AND deleted_at IS NULL`);
  const keyTaken = db.query("SELECT 1 FROM users WHERE username_key = ?");
  const skeletonTaken = db.query("SELECT 1 FROM users WHERE skeleton = ?");
  const insert = db.query(
    `INSERT INTO users (username, username_key, skeleton, display_name, password_hash, is_admin, must_change_password, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
  );
  const listAll = db.query(
    `SELECT ${COLUMNS}, (SELECT COUNT(*) FROM sessions s WHERE s.user_id = users.id AND s.expires_at > ?) AS sessions
       FROM users WHERE deleted_at IS NULL ORDER BY username_key`,
  );
  const activeAdmins = db.query("SELECT COUNT(*) AS n FROM users WHERE is_admin = 1 AND disabled = 0 AND deleted_at IS NULL");
  const setAdmin = db.query(`UPDATE users SET is_admin = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`);
  const setDisabled = db.query(`UPDATE users SET disabled = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`);
  const setPassword = db.query(
    `UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`,
  );
  const setDisplayName = db.query(`UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL RETURNING ${COLUMNS}`);
  // The row stays so messages keep their author id; everything that identified the person goes.
  // '#' cannot occur in a real username, so the freed placeholders never collide with one.
  const scrub = db.query(
    `UPDATE users SET username = 'deleted-' || id, username_key = '#deleted-' || id, skeleton = '#deleted-' || id,
            display_name = NULL, display_skeleton = NULL, password_hash = '', is_admin = 0, disabled = 1, must_change_password = 0,
            last_seen_at = NULL, deleted_at = ?
      WHERE id = ? AND deleted_at IS NULL`,
  );
  const markSeen = db.query("UPDATE users SET last_seen_at = ? WHERE id = ?");
  const leaveRooms = db.query("DELETE FROM room_members WHERE user_id = ? RETURNING room_id AS roomId");
  // A room keeps an owner while it has members (as when an owner leaves): in each room the account
  // owned alone, its longest-standing other member takes over.
  const handOverOwnership = db.query(
    `UPDATE room_members SET role = 'owner'
      WHERE (room_id, user_id) IN (
        SELECT o.room_id, (SELECT x.user_id FROM room_members x WHERE x.room_id = o.room_id AND x.user_id != o.user_id
                            ORDER BY x.joined_at, x.user_id LIMIT 1)
          FROM room_members o
         WHERE o.user_id = ? AND o.role = 'owner'
           AND NOT EXISTS (SELECT 1 FROM room_members y WHERE y.room_id = o.room_id AND y.role = 'owner' AND y.user_id != o.user_id))`,
  );

  const one = (row: unknown) => (row ? toUser(row as UserRow) : null);
  const withSecret = (row: unknown): UserWithSecret | null =>
    row ? { ...toUser(row as UserRow), passwordHash: (row as { passwordHash: string }).passwordHash } : null;

  return {
    get: (id: number): User | null => one(byId.get(id)),
    getWithSecret: (id: number): UserWithSecret | null => withSecret(secretById.get(id)),
    findByKey: (key: string): UserWithSecret | null => withSecret(byKey.get(key)),
    isKeyTaken: (key: string) => keyTaken.get(key) !== null,
    isSkeletonTaken: (skeleton: string) => skeletonTaken.get(skeleton) !== null,
    insert(user: NewUser, now = Date.now()): User {
      return toUser(
        insert.get(user.username, user.key, user.skeleton, user.displayName, user.passwordHash, user.isAdmin ? 1 : 0, user.mustChangePassword ? 1 : 0, now) as UserRow,
      );
    },
    list(now = Date.now()): AdminUser[] {
      return (listAll.all(now) as Array<UserRow & { sessions: number }>).map((row) => ({ ...toUser(row), sessions: row.sessions }));
    },
    /** Admins who can still act (not disabled, not deleted). */
    countActiveAdmins: () => (activeAdmins.get() as { n: number }).n,
    setAdmin: (id: number, isAdmin: boolean) => one(setAdmin.get(isAdmin ? 1 : 0, id)),
    setDisabled: (id: number, disabled: boolean) => one(setDisabled.get(disabled ? 1 : 0, id)),
    setPassword: (id: number, hash: string, mustChange: boolean) => one(setPassword.get(hash, mustChange ? 1 : 0, id)),
    setDisplayName: (id: number, name: string | null) => one(setDisplayName.get(name, id)),
    scrub: (id: number, now = Date.now()) => scrub.run(now, id).changes === 1,
    markSeen: (id: number, now = Date.now()) => void markSeen.run(now, id),
    /** A deleted account leaves every room and DM (its messages stay); returns the rooms it left. */
    leaveAllRooms(id: number): number[] {
      handOverOwnership.run(id);
      return (leaveRooms.all(id) as { roomId: number }[]).map((row) => row.roomId);
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

/** For the start-up log: true until the first admin exists. */
export function hasAdmin(db: Database): boolean {
  return db.query("SELECT 1 FROM users WHERE is_admin = 1 AND deleted_at IS NULL LIMIT 1").get() !== null;
}
