-- Operations (issue 17): a tamper-evident audit log, message retention, moderation.

-- Each audit entry carries the SHA-256 of the one before it (a hash chain), computed by
-- src/audit/chain.ts when the entry is written. Entries written before this migration have none
-- yet: the server chains them, oldest first, when it starts (src/audit/chain.ts sealLegacy).
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- Signed checkpoints: an HMAC (key from the secrets file, never in the database) over the hash of
-- the newest entry at the time and the previous checkpoint's signature. A database copy can be
-- read, but no entry before a checkpoint can be changed, removed or added without the key.
-- Pruning only removes entries up to a checkpoint, which then anchors the start of the chain.
CREATE TABLE audit_checkpoints (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  entry_id    INTEGER NOT NULL,
  entry_hash  TEXT NOT NULL,
  prev_sig    TEXT NOT NULL,
  key_id      TEXT NOT NULL,
  signature   TEXT NOT NULL
) STRICT;

-- Retention: null keeps the server-wide setting (settings.retention_days, forever by default);
-- disappear_hours deletes each message that many hours after it was sent (the owner's choice).
ALTER TABLE rooms ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days > 0);
ALTER TABLE rooms ADD COLUMN disappear_hours INTEGER CHECK (disappear_hours IS NULL OR disappear_hours > 0);
-- The retention job finds a room's expired messages in one probe; tombstones are not in the index.
CREATE INDEX messages_live_by_room_time ON messages (room_id, created_at) WHERE deleted_at IS NULL;
CREATE INDEX files_by_time ON files (created_at);

-- A user banned from a room cannot join it again (nor be added) until the ban is lifted.
CREATE TABLE room_bans (
  room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  banned_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  banned_at  INTEGER NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (room_id, user_id)
) STRICT, WITHOUT ROWID;

-- A member's report of a message to the admins. The message itself is read live when shown (so a
-- deleted or expired message shows as deleted: reports keep no copy of the text).
CREATE TABLE message_reports (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  reporter_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  reason       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  resolved_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  resolution   TEXT,
  UNIQUE (message_id, reporter_id)
) STRICT;
CREATE INDEX message_reports_open ON message_reports (resolved_at, id);
