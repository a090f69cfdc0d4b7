-- Rooms, direct messages, membership, messages and read state.
CREATE TABLE rooms (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('public', 'private', 'dm')),
  name        TEXT NOT NULL DEFAULT '',
  topic       TEXT NOT NULL DEFAULT '',
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  archived_at INTEGER,
  -- For DMs: the sorted participant ids, so opening the same DM twice finds the same room.
  dm_key      TEXT UNIQUE,
  CHECK ((kind = 'dm') = (dm_key IS NOT NULL))
) STRICT;
CREATE INDEX rooms_public ON rooms (kind, archived_at);

CREATE TABLE room_members (
  room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  joined_at    INTEGER NOT NULL,
  last_read_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX room_members_by_user ON room_members (user_id, room_id);

-- Ids are rowids: a new one is larger than every id still stored (messages are never removed one by
-- one, only erased in place), so they grow in every room and make a correct reconnect cursor.
CREATE TABLE messages (
  id          INTEGER PRIMARY KEY,
  room_id     INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  author_id   INTEGER NOT NULL REFERENCES users (id),
  client_id   TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  edited_at   INTEGER,
  deleted_at  INTEGER,
  -- Set from one server-wide counter on every edit and delete: a reconnecting client asks for the
  -- changes after the last value it saw, so edits and deletions made while it was away reach it.
  updated_seq INTEGER,
  -- Idempotent posting: a resent clientId is stored once per author. client_id leads the key so a
  -- time-ordered UUID (v7, as VaultRoom's own client sends) appends to the index instead of touching
  -- a random page per insert: ~4x faster group commits. Random v4 ids work too, just slower.
  UNIQUE (client_id, author_id)
) STRICT;
CREATE INDEX messages_by_room ON messages (room_id, id);
CREATE INDEX messages_changed ON messages (room_id, updated_seq) WHERE updated_seq IS NOT NULL;
