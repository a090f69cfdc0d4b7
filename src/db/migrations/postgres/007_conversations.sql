-- Conversations (issue 11): threads, quote-replies, system lines, reactions, pins (Postgres; as
-- sqlite/007_conversations.sql).
ALTER TABLE messages ADD COLUMN thread_root_id BIGINT REFERENCES messages (id) ON DELETE CASCADE;
ALTER TABLE messages ADD COLUMN also_to_room INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN quote_id BIGINT REFERENCES messages (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN event TEXT;
ALTER TABLE messages ADD COLUMN event_user_id BIGINT REFERENCES users (id);
ALTER TABLE messages ADD COLUMN reactions TEXT;
ALTER TABLE messages ADD COLUMN reply_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_reply_id BIGINT;
ALTER TABLE messages ADD COLUMN last_reply_at BIGINT;
ALTER TABLE messages ADD COLUMN thread_p1 BIGINT REFERENCES users (id);
ALTER TABLE messages ADD COLUMN thread_p2 BIGINT REFERENCES users (id);
ALTER TABLE messages ADD COLUMN thread_p3 BIGINT REFERENCES users (id);
ALTER TABLE messages ADD COLUMN pinned_at BIGINT;
ALTER TABLE messages ADD COLUMN pinned_by BIGINT REFERENCES users (id);
CREATE INDEX messages_by_thread ON messages (thread_root_id, id) WHERE thread_root_id IS NOT NULL;
CREATE INDEX messages_pinned ON messages (room_id, pinned_at) WHERE pinned_at IS NOT NULL;

-- Emoji compare byte for byte (COLLATE "C"): the server stores one canonical form of each.
CREATE TABLE reactions (
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji      TEXT COLLATE "C" NOT NULL,
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
);

CREATE TABLE thread_follows (
  user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  root_id      BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  room_id      BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  last_read_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, root_id)
);
CREATE INDEX thread_follows_by_root ON thread_follows (root_id);

ALTER TABLE rooms ADD COLUMN pin_policy TEXT NOT NULL DEFAULT 'members' CHECK (pin_policy IN ('members', 'owners'));
