-- Accounts worthy of a vault (issue 14), Postgres; the same schema as sqlite/010_account_security.sql
-- (see the comments there). Integers are BIGINT, blobs BYTEA, compared text COLLATE "C".

CREATE TABLE totp_secrets (
  user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_box  BYTEA NOT NULL,
  created_at  BIGINT NOT NULL,
  enabled_at  BIGINT,
  last_step   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  used_at    BIGINT,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE passkeys (
  id           TEXT COLLATE "C" PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key   BYTEA NOT NULL,
  counter      BIGINT NOT NULL DEFAULT 0,
  transports   TEXT NOT NULL DEFAULT '[]',
  name         TEXT NOT NULL,
  backed_up    SMALLINT NOT NULL DEFAULT 0 CHECK (backed_up IN (0, 1)),
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE account_security (
  user_id         BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  webauthn_handle TEXT COLLATE "C" UNIQUE,
  grace_logins    BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE login_challenges (
  id          TEXT COLLATE "C" PRIMARY KEY,
  secret_hash BYTEA NOT NULL,
  user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  failures    BIGINT NOT NULL DEFAULT 0,
  ip          TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  replacing   TEXT COLLATE "C"
);
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

CREATE TABLE webauthn_challenges (
  id         TEXT COLLATE "C" PRIMARY KEY,
  challenge  TEXT COLLATE "C" NOT NULL,
  purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'login', 'second_factor', 'reauth')),
  user_id    BIGINT REFERENCES users (id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);

CREATE TABLE session_reauth (
  session_id TEXT COLLATE "C" PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  at         BIGINT NOT NULL
);

CREATE TABLE password_resets (
  id         TEXT COLLATE "C" PRIMARY KEY,
  token_hash BYTEA NOT NULL UNIQUE,
  user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

CREATE TABLE exports (
  id          TEXT COLLATE "C" PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  room_id     BIGINT REFERENCES rooms (id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ready', 'failed')),
  progress    BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  size        BIGINT
);
CREATE INDEX exports_by_user ON exports (user_id, created_at);
CREATE INDEX exports_by_expiry ON exports (expires_at);
