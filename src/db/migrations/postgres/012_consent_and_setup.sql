-- First run, consent and several files per message (Postgres; as sqlite/012_consent_and_setup.sql).

INSERT INTO settings (key, value)
  SELECT 'setup_completed', '1' WHERE EXISTS (SELECT 1 FROM users WHERE is_admin = 1)
  ON CONFLICT (key) DO NOTHING;

ALTER TABLE invites ADD COLUMN room_id BIGINT REFERENCES rooms (id) ON DELETE SET NULL;

ALTER TABLE room_members ADD COLUMN chosen INTEGER NOT NULL DEFAULT 1 CHECK (chosen IN (0, 1));
ALTER TABLE room_members ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));

CREATE TABLE room_requests (
  room_id    BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  invited_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_requests_by_user ON room_requests (user_id, created_at);
CREATE INDEX room_requests_by_inviter ON room_requests (invited_by, user_id);

CREATE TABLE user_blocks (
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  blocked_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, blocked_id)
);
CREATE INDEX user_blocks_by_blocked ON user_blocks (blocked_id, user_id);

-- Several files per message: no more UNIQUE (message_id); each file has its place in the message.
ALTER TABLE files DROP CONSTRAINT files_message_id_key;
ALTER TABLE files ADD COLUMN position INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0);
ALTER TABLE files ADD CONSTRAINT files_message_position UNIQUE (message_id, position);

CREATE TABLE file_uploads (
  id          TEXT COLLATE "C" PRIMARY KEY,
  room_id     BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  uploader_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  size        BIGINT NOT NULL CHECK (size >= 0),
  mime        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE INDEX file_uploads_by_uploader ON file_uploads (uploader_id, created_at);
CREATE INDEX file_uploads_by_time ON file_uploads (created_at);

CREATE FUNCTION file_uploads_to_trash() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM files WHERE id = OLD.id) THEN
    INSERT INTO file_trash (id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER file_uploads_to_trash AFTER DELETE ON file_uploads FOR EACH ROW EXECUTE FUNCTION file_uploads_to_trash();
