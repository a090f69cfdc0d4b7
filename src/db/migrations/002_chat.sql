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
  dm_key      TEXT UNIQUE
) STRICT;

CREATE TABLE room_members (
  room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role         TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  joined_at    INTEGER NOT NULL,
  last_read_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX room_members_by_user ON room_members (user_id, room_id);

CREATE TABLE messages (
  id         INTEGER PRIMARY KEY,
  room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  author_id  INTEGER NOT NULL REFERENCES users (id),
  client_id  TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  edited_at  INTEGER,
  deleted_at INTEGER,
  UNIQUE (author_id, client_id)
) STRICT;
CREATE INDEX messages_by_room ON messages (room_id, id);
