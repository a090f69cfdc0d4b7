-- Conversations (issue 11): threads, quote-replies, system lines, reactions, pins.
--
-- A reply names its thread's root (always a top-level message of the same room: threads do not
-- nest); `also_to_room` shows it in the room's timeline too. A quote-reply names the message it
-- answers. A system line (someone joined, left, was added or removed, the room was renamed or its
-- topic changed) is a message with `event` set (JSON, rendered in the reader's language) and an
-- empty body; `event_user_id` is the person it is about, when that is not the author.
ALTER TABLE messages ADD COLUMN thread_root_id INTEGER REFERENCES messages (id) ON DELETE CASCADE;
ALTER TABLE messages ADD COLUMN also_to_room INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN quote_id INTEGER REFERENCES messages (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN event TEXT;
ALTER TABLE messages ADD COLUMN event_user_id INTEGER REFERENCES users (id);
-- What a page of the timeline shows of each message, kept on its row by the transaction that
-- changes it (a reaction, a pin, a reply), so that reading a page costs no extra statement per
-- message: the reactions summary (JSON: emoji, count, first reactors), the thread at a glance
-- (count, last reply, the three most recent repliers, newest first) and the pin.
ALTER TABLE messages ADD COLUMN reactions TEXT;
ALTER TABLE messages ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN last_reply_id INTEGER;
ALTER TABLE messages ADD COLUMN last_reply_at INTEGER;
ALTER TABLE messages ADD COLUMN thread_p1 INTEGER REFERENCES users (id);
ALTER TABLE messages ADD COLUMN thread_p2 INTEGER REFERENCES users (id);
ALTER TABLE messages ADD COLUMN thread_p3 INTEGER REFERENCES users (id);
ALTER TABLE messages ADD COLUMN pinned_at INTEGER;
ALTER TABLE messages ADD COLUMN pinned_by INTEGER REFERENCES users (id);
CREATE INDEX messages_by_thread ON messages (thread_root_id, id) WHERE thread_root_id IS NOT NULL;
CREATE INDEX messages_pinned ON messages (room_id, pinned_at) WHERE pinned_at IS NOT NULL;

-- One of each emoji per person per message; deleted with the message (messages.ts). The summary on
-- the message row is computed from these.
CREATE TABLE reactions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  emoji      TEXT NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, emoji, user_id)
) STRICT, WITHOUT ROWID;

-- Who follows a thread (its root's author and everyone who replied) and how far they have read it.
CREATE TABLE thread_follows (
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  root_id      INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  room_id      INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  last_read_id INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, root_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX thread_follows_by_root ON thread_follows (root_id);

-- Who may pin in a public room: every member (the default) or only its owners. Private rooms and
-- DMs: every member.
ALTER TABLE rooms ADD COLUMN pin_policy TEXT NOT NULL DEFAULT 'members' CHECK (pin_policy IN ('members', 'owners'));
