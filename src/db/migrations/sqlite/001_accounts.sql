-- Accounts, sessions, invites, server settings and the audit trail.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

INSERT INTO settings (key, value) VALUES ('registration_mode', 'open');

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL,
  -- NFKC + case-folded form: uniqueness is case-insensitive.
  username_key         TEXT NOT NULL UNIQUE,
  -- Confusable skeleton (UTS #39): "pаypal" with a Cyrillic а collides with "paypal".
  skeleton             TEXT NOT NULL UNIQUE,
  display_name         TEXT,
  password_hash        TEXT NOT NULL,
  is_admin             INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
  disabled             INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  created_at           INTEGER NOT NULL,
  last_seen_at         INTEGER,
  deleted_at           INTEGER
) STRICT;

CREATE TABLE sessions (
  -- The public id (shown in the session list). The token also carries a secret of which only the
  -- SHA-256 is kept, so a copy of the database alone cannot be turned into a working session.
  id           TEXT PRIMARY KEY,
  secret_hash  BLOB NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT '',
  ip           TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE invites (
  id          TEXT PRIMARY KEY,
  -- SHA-256 of the token in the link; the token itself is shown once and never stored.
  token_hash  BLOB NOT NULL UNIQUE,
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  max_uses    INTEGER NOT NULL CHECK (max_uses > 0),
  uses        INTEGER NOT NULL DEFAULT 0,
  revoked_at  INTEGER
) STRICT;

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  event     TEXT NOT NULL,
  actor_id  INTEGER,
  target    TEXT,
  ip        TEXT,
  detail    TEXT
) STRICT;
CREATE INDEX audit_log_by_time ON audit_log (at);
