-- Files shared in rooms and DMs (Postgres; as sqlite/003_files.sql, triggers as functions).
CREATE TABLE files (
  id          TEXT COLLATE "C" PRIMARY KEY,
  message_id  BIGINT NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
  uploader_id BIGINT NOT NULL REFERENCES users (id),
  name        TEXT NOT NULL,
  size        BIGINT NOT NULL CHECK (size >= 0),
  mime        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX files_by_uploader ON files (uploader_id);

-- Files whose bytes must still be unlinked, filled in the transaction that drops the row.
CREATE TABLE file_trash (
  id TEXT COLLATE "C" PRIMARY KEY
);

CREATE FUNCTION files_to_trash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO file_trash (id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  RETURN OLD;
END $$;
CREATE TRIGGER files_to_trash AFTER DELETE ON files FOR EACH ROW EXECUTE FUNCTION files_to_trash();

-- Deleting a message (softly) deletes its file, whichever code path deletes it.
CREATE FUNCTION message_deletion_drops_file() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM files WHERE message_id = NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER message_deletion_drops_file AFTER UPDATE OF deleted_at ON messages
  FOR EACH ROW WHEN (NEW.deleted_at IS NOT NULL) EXECUTE FUNCTION message_deletion_drops_file();
