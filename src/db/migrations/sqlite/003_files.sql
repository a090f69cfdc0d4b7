-- Files shared in rooms and DMs. The bytes live in <data>/files/<id>; a row exists only once its file
-- is complete on disk (the upload commits after the rename), and every file belongs to one message.
CREATE TABLE files (
  -- 128 random bits, base64url: the on-disk name. The user's name below is metadata only.
  id          TEXT PRIMARY KEY,
  message_id  INTEGER NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
  uploader_id INTEGER NOT NULL REFERENCES users (id),
  name        TEXT NOT NULL,
  size        INTEGER NOT NULL CHECK (size >= 0),
  -- Detected from the first bytes, never taken from the client.
  mime        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX files_by_uploader ON files (uploader_id);

-- Files whose bytes must still be unlinked. Filled in the same transaction that drops the row, so a
-- crash between that commit and the unlink only delays it (the start-up sweep finishes the job).
CREATE TABLE file_trash (
  id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER files_to_trash AFTER DELETE ON files BEGIN
  INSERT OR IGNORE INTO file_trash (id) VALUES (OLD.id);
END;

-- Messages are deleted softly; deleting one deletes its file, whichever code path deletes it, and
-- the bytes stop counting against the uploader's quota in that same commit.
CREATE TRIGGER message_deletion_drops_file AFTER UPDATE OF deleted_at ON messages
WHEN NEW.deleted_at IS NOT NULL BEGIN
  DELETE FROM files WHERE message_id = NEW.id;
END;

