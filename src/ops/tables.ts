// Every table that holds a server's data, in an order that satisfies the foreign keys, with the
// columns both engines share. Moving a server between engines (migrate-db.ts) and a Postgres backup
// copy exactly these, row for row. The cluster's outbox (events) is not data: it is not copied.
import { sql, type Query } from "../db/query.ts";

export interface TableSpec {
  name: string;
  /** Ordering key (unique), for paging and checksums. */
  key: string[];
  columns: string[];
  /** An identity column whose sequence must continue after the copied rows (Postgres). */
  identity?: string;
  /**
   * Rows that belong to one engine's deployment, not to the data: a cluster's shared secrets and
   * id live in settings. They are neither copied nor compared.
   */
  localRows?: string;
}

export const TABLES: readonly TableSpec[] = [
  { name: "settings", key: ["key"], columns: ["key", "value"], localRows: `"key" LIKE 'secret.%' OR "key" = 'cluster.id' OR "key" = 'audit.key_id'` },
  {
    name: "users",
    key: ["id"],
    identity: "id",
    columns: [
      "id", "username", "username_key", "skeleton", "display_skeleton", "display_name", "password_hash", "is_admin", "disabled", "must_change_password",
      "created_at", "last_seen_at", "deleted_at",
    ],
  },
  { name: "sessions", key: ["id"], columns: ["id", "secret_hash", "user_id", "created_at", "last_seen_at", "expires_at", "user_agent", "ip"] },
  { name: "audit_log", key: ["id"], identity: "id", columns: ["id", "at", "event", "actor_id", "target", "ip", "detail", "prev_hash", "hash"] },
  // Signed checkpoints of the chain (migration 011), verified with the secrets file's audit key.
  { name: "audit_checkpoints", key: ["id"], identity: "id", columns: ["id", "at", "entry_id", "entry_hash", "prev_sig", "key_id", "signature"] },
  // Second factors and reset links (010_account_security). TOTP secrets stay sealed under the
  // secrets file's totpKey: the copy is useless without that file (start the nodes with --secrets-file).
  // Half-sessions, WebAuthn challenges, re-authentication times and exports are minutes or hours
  // long and not copied.
  { name: "totp_secrets", key: ["user_id"], columns: ["user_id", "secret_box", "created_at", "enabled_at", "last_step"] },
  { name: "recovery_codes", key: ["user_id", "code_hash"], columns: ["user_id", "code_hash", "created_at", "used_at"] },
  {
    name: "passkeys",
    key: ["id"],
    columns: ["id", "user_id", "public_key", "counter", "transports", "name", "backed_up", "created_at", "last_used_at"],
  },
  { name: "account_security", key: ["user_id"], columns: ["user_id", "webauthn_handle", "grace_logins"] },
  { name: "password_resets", key: ["id"], columns: ["id", "token_hash", "user_id", "created_by", "created_at", "expires_at", "used_at"] },
  {
    name: "rooms",
    key: ["id"],
    identity: "id",
    columns: ["id", "kind", "name", "topic", "created_by", "created_at", "archived_at", "dm_key", "pin_policy", "retention_days", "disappear_hours"],
  },
  // After rooms: an invite may bring its new account into one (migration 012).
  { name: "invites", key: ["id"], columns: ["id", "token_hash", "created_by", "created_at", "expires_at", "max_uses", "uses", "revoked_at", "room_id"] },
  { name: "room_members", key: ["room_id", "user_id"], columns: ["room_id", "user_id", "role", "joined_at", "last_read_id", "chosen", "hidden"] },
  // Consent and moderation (migrations 011, 012).
  { name: "room_requests", key: ["room_id", "user_id"], columns: ["room_id", "user_id", "invited_by", "created_at"] },
  { name: "user_blocks", key: ["user_id", "blocked_id"], columns: ["user_id", "blocked_id", "created_at"] },
  { name: "room_bans", key: ["room_id", "user_id"], columns: ["room_id", "user_id", "banned_by", "banned_at", "reason"] },
  {
    name: "messages",
    key: ["id"],
    identity: "id",
    // In id order a thread's root and a quoted message come before what refers to them.
    columns: [
      "id", "room_id", "author_id", "client_id", "body", "created_at", "edited_at", "deleted_at", "updated_seq", "mentions",
      "thread_root_id", "also_to_room", "quote_id", "event", "event_user_id", "reactions", "reply_count", "last_reply_id", "last_reply_at",
      "thread_p1", "thread_p2", "thread_p3", "pinned_at", "pinned_by",
    ],
  },
  // Conversations (migration 007).
  { name: "reactions", key: ["message_id", "emoji", "user_id"], columns: ["message_id", "emoji", "user_id", "created_at"] },
  { name: "thread_follows", key: ["user_id", "root_id"], columns: ["user_id", "root_id", "room_id", "last_read_id"] },
  { name: "message_reports", key: ["id"], identity: "id", columns: ["id", "message_id", "room_id", "reporter_id", "reason", "created_at", "resolved_at", "resolved_by", "resolution"] },
  { name: "files", key: ["id"], columns: ["id", "message_id", "position", "uploader_id", "name", "size", "mime", "sha256", "created_at"] },
  // Files in a composer's tray, not sent yet (migration 012): their bytes are in the files directory too.
  { name: "file_uploads", key: ["id"], columns: ["id", "room_id", "uploader_id", "name", "size", "mime", "sha256", "created_at"] },
  { name: "file_trash", key: ["id"], columns: ["id"] },
  // Mentions and notifications (migration 008).
  { name: "message_mentions", key: ["message_id", "user_id"], columns: ["message_id", "user_id", "room_id", "active"] },
  { name: "notification_settings", key: ["user_id"], columns: ["user_id", "default_level", "dnd_until", "sound_rooms", "sound_dms", "previews"] },
  { name: "room_notification_prefs", key: ["room_id", "user_id"], columns: ["room_id", "user_id", "level", "muted_until"] },
  {
    name: "push_subscriptions",
    key: ["id"],
    identity: "id",
    columns: ["id", "session_id", "user_id", "endpoint", "p256dh", "auth", "created_at", "user_agent"],
  },
];

/**
 * Tables deliberately not copied, and why. test/unit/ops-tables.test.ts fails when the schema has a
 * table or column that is neither in TABLES nor here, so a new migration cannot be forgotten by
 * `migrate-db` and the Postgres backup.
 */
export const NOT_COPIED: Readonly<Record<string, string>> = {
  exports: "archives of a person's data, kept 24 hours, rebuilt on request",
  login_challenges: "the second step of a login, minutes long",
  session_reauth: "re-authentication times, minutes long",
  webauthn_challenges: "passkey challenges, minutes long",
  search_state: "the search index is derived: the new engine indexes every message again from the start",
  search_words: "derived (search index)",
  search_trigrams: "derived (search index)",
};

export type Row = Record<string, unknown>;

export interface TableQueries {
  /** A page after a key (all key columns), in key order. */
  page: Query<Row, unknown[]>;
  first: Query<Row, [number]>;
  insert: Query<never, unknown[]>;
  count: Query<{ n: number }, []>;
}

const quoted = (column: string) => `"${column}"`;

/** Statements built once from the constant specs above (never from input). */
export function tableQueries(table: TableSpec): TableQueries {
  const columns = table.columns.map(quoted).join(", ");
  const keys = table.key.map(quoted).join(", ");
  const order = `ORDER BY ${keys}`;
  const after = table.key.length === 1 ? `${quoted(table.key[0]!)} > ?` : `(${keys}) > (${table.key.map(() => "?").join(", ")})`;
  const data = table.localRows ? `NOT (${table.localRows})` : "1 = 1";
  return {
    first: sql<Row, [number]>(`SELECT ${columns} FROM ${table.name} WHERE ${data} ${order} LIMIT ?`),
    page: sql<Row, unknown[]>(`SELECT ${columns} FROM ${table.name} WHERE ${after} AND ${data} ${order} LIMIT ?`),
    insert: sql<never, unknown[]>(`INSERT INTO ${table.name} (${columns}) VALUES (${table.columns.map(() => "?").join(", ")})`),
    count: sql<{ n: number }, []>(`SELECT count(*) AS n FROM ${table.name}`),
  };
}
