// What goes into a data export, and nothing more. A user's export holds their profile, sessions and
// sign-in methods (names and dates only), the rooms and DMs they are in now, in each room the messages
// they wrote (in a DM, every message: the conversation is theirs), and the files they uploaded there.
// An admin's room export holds one room they may see, with all its messages and files. Every query
// joins the exporter's membership (or takes a room already authorised), so nothing of a room they are
// not in can enter; and no secret ever does: no password hash, TOTP secret, recovery code, session
// secret, passkey key or token is selected by any statement here. The schema is in
// docs/API-accounts.md ("Data export").
import { sql } from "../db/query.ts";
import type { Conn } from "../db/store.ts";

export const EXPORT_FORMAT = "vaultroom-export";
export const EXPORT_VERSION = 1;
const PAGE = 500;

export interface ListWriter {
  push(item: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Where an export's entries go: a zip being written (zip-sink.ts), or memory in tests. */
export interface ExportSink {
  document(path: string, value: unknown): Promise<void>;
  list(path: string): Promise<ListWriter>;
  storedFile(path: string, fileId: string): Promise<void>;
  progress(done: number, total: number): Promise<void>;
}

interface RoomRow {
  id: number;
  kind: string;
  name: string;
  topic: string;
  createdAt: number;
  archivedAt: number | null;
  role: string | null;
  joinedAt: number | null;
}
interface MessageRow {
  id: number;
  authorId: number;
  author: string;
  body: string;
  createdAt: number;
  editedAt: number | null;
  /** Its files as a JSON array of { id, name, size, mime }, in the order they were sent. */
  files: string;
  /** A system line's event (JSON; body ""), as stored. */
  event: string | null;
}
interface FileRow {
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  createdAt: number;
  roomId: number;
  messageId: number;
}

// A message may carry several files (issue 19): aggregated into one column, so each message is one row.
const messageColumns = (files: string) => `m.id, m.author_id AS "authorId", u.username AS author, m.body, m.created_at AS "createdAt",
  m.edited_at AS "editedAt", ${files} AS files, m.event`;
const MESSAGE_COLUMNS = {
  sqlite: messageColumns(`(SELECT json_group_array(json_object('id', f.id, 'name', f.name, 'size', f.size, 'mime', f.mime))
      FROM (SELECT * FROM files WHERE message_id = m.id ORDER BY position) f)`),
  postgres: messageColumns(`(SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'mime', f.mime) ORDER BY f.position), '[]'::json)::text
      FROM files f WHERE f.message_id = m.id)`),
};
const FILE_COLUMNS = `f.id, f.name, f.size, f.mime, f.sha256, f.created_at AS "createdAt", m.room_id AS "roomId", m.id AS "messageId"`;

const forEngines = (statement: (columns: string) => string) => ({
  sqlite: statement(MESSAGE_COLUMNS.sqlite),
  postgres: statement(MESSAGE_COLUMNS.postgres),
});

const q = {
  profile: sql<{ id: number; username: string; displayName: string | null; isAdmin: number; createdAt: number; lastSeenAt: number | null }, [number]>(
    `SELECT id, username, display_name AS "displayName", is_admin AS "isAdmin", created_at AS "createdAt", last_seen_at AS "lastSeenAt"
       FROM users WHERE id = ? AND deleted_at IS NULL`,
  ),
  signIn: sql<{ totpEnabledAt: number | null; recoveryCodesLeft: number }, [number]>(
    `SELECT (SELECT enabled_at FROM totp_secrets WHERE user_id = ?1) AS "totpEnabledAt",
            (SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL) AS "recoveryCodesLeft"`,
  ),
  passkeys: sql<{ name: string; createdAt: number; lastUsedAt: number | null }, [number]>(
    `SELECT name, created_at AS "createdAt", last_used_at AS "lastUsedAt" FROM passkeys WHERE user_id = ? ORDER BY created_at, id`,
  ),
  sessions: sql<{ id: string; userAgent: string; ip: string; createdAt: number; lastSeenAt: number; expiresAt: number }, [number]>(
    `SELECT id, user_agent AS "userAgent", ip, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"
       FROM sessions WHERE user_id = ? ORDER BY created_at`,
  ),
  myRooms: sql<RoomRow, [number]>(
    `SELECT r.id, r.kind, r.name, r.topic, r.created_at AS "createdAt", r.archived_at AS "archivedAt", m.role, m.joined_at AS "joinedAt"
       FROM room_members m JOIN rooms r ON r.id = m.room_id WHERE m.user_id = ? ORDER BY r.id`,
  ),
  room: sql<RoomRow, [number]>(
    `SELECT r.id, r.kind, r.name, r.topic, r.created_at AS "createdAt", r.archived_at AS "archivedAt", NULL AS role, NULL AS "joinedAt"
       FROM rooms r WHERE r.id = ?`,
  ),
  members: sql<{ id: number; username: string; displayName: string | null; role: string }, [number]>(
    `SELECT u.id, u.username, u.display_name AS "displayName", m.role
       FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY m.joined_at, u.id`,
  ),
  // The exporter's membership is joined, so a room they are not in yields nothing; outside DMs only
  // their own messages come.
  myMessages: sql<MessageRow, [number, number, number, number]>(
    forEngines(
      (columns) => `SELECT ${columns}
       FROM messages m
       JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = ?1
       JOIN rooms r ON r.id = m.room_id
       JOIN users u ON u.id = m.author_id
      WHERE m.room_id = ?2 AND m.deleted_at IS NULL AND m.id > ?3 AND (r.kind = 'dm' OR m.author_id = ?1)
      ORDER BY m.id LIMIT ?4`,
    ),
  ),
  roomMessages: sql<MessageRow, [number, number, number]>(
    forEngines(
      (columns) => `SELECT ${columns}
       FROM messages m JOIN users u ON u.id = m.author_id
      WHERE m.room_id = ?1 AND m.deleted_at IS NULL AND m.id > ?2 ORDER BY m.id LIMIT ?3`,
    ),
  ),
  myFiles: sql<FileRow, [number]>(
    `SELECT ${FILE_COLUMNS}
       FROM files f
       JOIN messages m ON m.id = f.message_id AND m.deleted_at IS NULL
       JOIN room_members rm ON rm.room_id = m.room_id AND rm.user_id = ?1
      WHERE f.uploader_id = ?1 ORDER BY m.id, f.position`,
  ),
  roomFiles: sql<FileRow, [number]>(
    `SELECT ${FILE_COLUMNS} FROM files f JOIN messages m ON m.id = f.message_id AND m.deleted_at IS NULL
      WHERE m.room_id = ? ORDER BY m.id, f.position`,
  ),
};

/** A file's place in the archive: its id (unique) and a name safe on every system. */
export function archivePath(file: { id: string; name: string }): string {
  const safe = [...file.name.normalize("NFC").replace(/[\\/:*?"<>|\p{Cc}\p{Cf}]+/gu, "_").replace(/^[.\s]+/, "")].slice(0, 100).join("").trim();
  return `files/${file.id}-${safe || "file"}`;
}

const message = (row: MessageRow) => ({
  id: row.id,
  authorId: row.authorId,
  author: row.author,
  body: row.body,
  createdAt: row.createdAt,
  editedAt: row.editedAt,
  files: JSON.parse(row.files) as { id: string; name: string; size: number; mime: string }[],
  // A system line (someone joined, a rename…) says what happened here, not in its empty body.
  ...(row.event ? { event: JSON.parse(row.event) as unknown } : {}),
});

const room = (row: RoomRow, members: { id: number; username: string; displayName: string | null; role: string }[]) => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  topic: row.topic,
  createdAt: row.createdAt,
  archivedAt: row.archivedAt,
  myRole: row.role,
  joinedAt: row.joinedAt,
  members,
  messages: `messages/${row.id}.json`,
});

async function writeMessages(sink: ExportSink, path: string, page: (after: number) => Promise<MessageRow[]>) {
  const list = await sink.list(path);
  for (let after = 0; ; ) {
    const rows = await page(after);
    for (const row of rows) await list.push(message(row));
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  await list.close();
}

async function writeFiles(sink: ExportSink, files: FileRow[], done: number, total: number) {
  await sink.document(
    "files.json",
    files.map((f) => ({ ...f, path: archivePath(f) })),
  );
  for (const file of files) {
    await sink.storedFile(archivePath(file), file.id);
    await sink.progress(++done, total);
  }
}

/** A user's own data. Returns false when the account no longer exists. */
export async function exportAccount(db: Conn, userId: number, sink: ExportSink, now = Date.now()): Promise<boolean> {
  const profile = await db.get(q.profile, userId);
  if (!profile) return false;
  const signIn = (await db.get(q.signIn, userId))!;
  const rooms = await db.all(q.myRooms, userId);
  const files = await db.all(q.myFiles, userId);
  const total = rooms.length + files.length + 1;
  await sink.document("vaultroom-export.json", {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    kind: "account",
    createdAt: now,
    userId,
    contents: ["profile.json", "sessions.json", "rooms.json", "messages/<roomId>.json", "files.json", "files/"],
  });
  await sink.document("profile.json", {
    id: profile.id,
    username: profile.username,
    displayName: profile.displayName,
    isAdmin: profile.isAdmin === 1,
    createdAt: profile.createdAt,
    lastSeenAt: profile.lastSeenAt,
    signIn: {
      totpEnabledAt: signIn.totpEnabledAt,
      recoveryCodesLeft: signIn.recoveryCodesLeft,
      passkeys: await db.all(q.passkeys, userId),
    },
  });
  await sink.document("sessions.json", await db.all(q.sessions, userId));
  const described = [];
  for (const row of rooms) described.push(room(row, await db.all(q.members, row.id)));
  await sink.document("rooms.json", described);
  await sink.progress(1, total);
  let done = 1;
  for (const row of rooms) {
    await writeMessages(sink, `messages/${row.id}.json`, (after) => db.all(q.myMessages, userId, row.id, after, PAGE));
    await sink.progress(++done, total);
  }
  await writeFiles(sink, files, done, total);
  return true;
}

/** One room, for an admin who may see it (the caller has checked). Returns false when it is gone. */
export async function exportRoom(db: Conn, roomId: number, sink: ExportSink, now = Date.now()): Promise<boolean> {
  const row = await db.get(q.room, roomId);
  if (!row) return false;
  const files = await db.all(q.roomFiles, roomId);
  const total = files.length + 1;
  await sink.document("vaultroom-export.json", {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    kind: "room",
    createdAt: now,
    roomId,
    contents: ["room.json", `messages/${roomId}.json`, "files.json", "files/"],
  });
  await sink.document("room.json", room(row, await db.all(q.members, roomId)));
  await writeMessages(sink, `messages/${roomId}.json`, (after) => db.all(q.roomMessages, roomId, after, PAGE));
  await sink.progress(1, total);
  await writeFiles(sink, files, 1, total);
  return true;
}
