-- First run, consent and several files per message (issues 19 and 21 §4).

-- The first administrator's welcome (setup) is for new servers: one that already has an
-- administrator has been set up, and is not asked again.
INSERT INTO settings (key, value)
  SELECT 'setup_completed', '1' WHERE EXISTS (SELECT 1 FROM users WHERE is_admin = 1)
  ON CONFLICT (key) DO NOTHING;

-- An invite link may bring the new account into one room (made from "Add people" in that room).
ALTER TABLE invites ADD COLUMN room_id INTEGER REFERENCES rooms (id) ON DELETE SET NULL;

-- chosen: 1 when the person made this membership themselves (created, joined, opened, accepted, came
-- by an invite link), 0 when someone they know added them: only chosen rooms count against their own
-- cap, so nobody else can fill it. hidden: a DM put away, back with its next message.
ALTER TABLE room_members ADD COLUMN chosen INTEGER NOT NULL DEFAULT 1 CHECK (chosen IN (0, 1));
ALTER TABLE room_members ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));

-- Invitations from people the invitee has never talked to (no DM or private room shared), waiting
-- for Accept or Decline. Not a membership: the invitee sees the card, not the room.
CREATE TABLE room_requests (
  room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  invited_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX room_requests_by_user ON room_requests (user_id, created_at);
CREATE INDEX room_requests_by_inviter ON room_requests (invited_by, user_id);

-- Whom each person has blocked: a blocked user cannot open a DM with them, add them to a room or
-- write in their one-to-one DM.
CREATE TABLE user_blocks (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  blocked_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, blocked_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_blocks_by_blocked ON user_blocks (blocked_id, user_id);

-- Several files per message: files lose UNIQUE (message_id) and gain their place in the message.
-- SQLite cannot drop a constraint, so the table is rebuilt. legacy_alter_table keeps the final
-- RENAME from re-parsing other tables' triggers that name `files` (they find the new table by name).
PRAGMA legacy_alter_table = ON;
CREATE TABLE files_new (
  id          TEXT PRIMARY KEY,
  message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  position    INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
  uploader_id INTEGER NOT NULL REFERENCES users (id),
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL CHECK (size >= 0),
  mime        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (message_id, position)
) STRICT;
INSERT INTO files_new (id, message_id, position, uploader_id, name, size, mime, sha256, created_at)
  SELECT id, message_id, 0, uploader_id, name, size, mime, sha256, created_at FROM files;
DROP TABLE files;
ALTER TABLE files_new RENAME TO files;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX files_by_uploader ON files (uploader_id);
CREATE TRIGGER files_to_trash AFTER DELETE ON files BEGIN
  INSERT OR IGNORE INTO file_trash (id) VALUES (OLD.id);
END;

-- Files uploaded and not sent yet: the composer's tray uploads each file as it is added, and the
-- message that carries them moves them into `files` (same id, same bytes) in its own transaction.
-- Only the uploader may send one, only into the room it was uploaded for; they count against the
-- uploader's quota, and ones never sent are removed after a while (files/service.ts).
CREATE TABLE file_uploads (
  id          TEXT PRIMARY KEY,
  room_id     INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  uploader_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL CHECK (size >= 0),
  mime        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX file_uploads_by_uploader ON file_uploads (uploader_id, created_at);
CREATE INDEX file_uploads_by_time ON file_uploads (created_at);

-- An upload that goes away without being sent leaves its bytes to the trash sweep; one that was
-- sent is in `files` by then and keeps them.
CREATE TRIGGER file_uploads_to_trash AFTER DELETE ON file_uploads
WHEN NOT EXISTS (SELECT 1 FROM files WHERE id = OLD.id) BEGIN
  INSERT OR IGNORE INTO file_trash (id) VALUES (OLD.id);
END;
