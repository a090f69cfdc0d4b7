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
    columns: ["id", "username", "username_key", "skeleton", "display_name", "password_hash", "is_admin", "disabled", "must_change_password", "created_at", "last_seen_at", "deleted_at"],
  },
  { name: "sessions", key: ["id"], columns: ["id", "secret_hash", "user_id", "created_at", "last_seen_at", "expires_at", "user_agent", "ip"] },
  { name: "invites", key: ["id"], columns: ["id", "token_hash", "created_by", "created_at", "expires_at", "max_uses", "uses", "revoked_at"] },
  { name: "audit_log", key: ["id"], identity: "id", columns: ["id", "at", "event", "actor_id", "target", "ip", "detail"] },
  { name: "rooms", key: ["id"], identity: "id", columns: ["id", "kind", "name", "topic", "created_by", "created_at", "archived_at", "dm_key"] },
  { name: "room_members", key: ["room_id", "user_id"], columns: ["room_id", "user_id", "role", "joined_at", "last_read_id"] },
  {
    name: "messages",
    key: ["id"],
    identity: "id",
    columns: ["id", "room_id", "author_id", "client_id", "body", "created_at", "edited_at", "deleted_at", "updated_seq", "mentions"],
  },
  { name: "files", key: ["id"], columns: ["id", "message_id", "uploader_id", "name", "size", "mime", "sha256", "created_at"] },
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
