-- Mentions and notifications (issue 12).
-- The ids a message's current text mentions, as JSON text ("[3,7]"); NULL for none. Read with every
-- message (the web client highlights mentions of its user) without a join.
ALTER TABLE messages ADD COLUMN mentions TEXT;

-- Who was ever notified of a mention in a message: an edit that adds a mention notifies only those
-- not already here, and an edit that removes one only clears `active` (nothing is un-sent). Active
-- rows feed the mention badges and the Mentions view.
CREATE TABLE message_mentions (
  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  PRIMARY KEY (message_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX message_mentions_by_user ON message_mentions (user_id, room_id, message_id);
-- The Mentions view: my newest mentions across rooms.
CREATE INDEX message_mentions_recent ON message_mentions (user_id, message_id);

-- A user's account-wide notification choices; no row means the defaults.
CREATE TABLE notification_settings (
  user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  default_level TEXT NOT NULL DEFAULT 'mentions' CHECK (default_level IN ('all', 'mentions', 'nothing')),
  -- Do not disturb until this time (ms); NULL when off.
  dnd_until     INTEGER,
  sound_rooms   INTEGER NOT NULL DEFAULT 0 CHECK (sound_rooms IN (0, 1)),
  sound_dms     INTEGER NOT NULL DEFAULT 1 CHECK (sound_dms IN (0, 1)),
  -- Whether notifications (and so pushes) carry the first characters of the message.
  previews      INTEGER NOT NULL DEFAULT 1 CHECK (previews IN (0, 1))
) STRICT;

-- One member's level and mute for one room or DM; it goes with the membership.
CREATE TABLE room_notification_prefs (
  room_id     INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  -- NULL: the default (rooms: the user's default level; DMs: all).
  level       TEXT CHECK (level IN ('all', 'mentions', 'nothing')),
  muted_until INTEGER,
  PRIMARY KEY (room_id, user_id),
  FOREIGN KEY (room_id, user_id) REFERENCES room_members (room_id, user_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX room_notification_prefs_by_user ON room_notification_prefs (user_id, room_id);

-- Web Push subscriptions, one per session (a browser): they end with the session.
CREATE TABLE push_subscriptions (
  id         INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The push service's URL (from the browser: untrusted, checked before every send).
  endpoint   TEXT NOT NULL UNIQUE,
  p256dh     TEXT NOT NULL,
  auth       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  user_agent TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
