-- Accounts worthy of a vault (issue 14): two-factor sign-in (TOTP, recovery codes, passkeys), the
-- half-session between a password and its second factor, re-authentication, one-time reset links and
-- data exports. Users are never deleted (they are scrubbed), so the cascades only matter to tests.

-- TOTP: one row per user who began enrolling; enabled_at is set once a first code has confirmed it.
CREATE TABLE totp_secrets (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- AES-256-GCM under the secrets file's totpKey (src/accounts/secret-box.ts): a copy of the
  -- database alone cannot produce codes.
  secret_box  BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  enabled_at  INTEGER,
  -- The newest time step a code was accepted for: each code works once, and no older one after it.
  last_step   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Ten per user, shown once; only SHA-256 of each is kept. Regenerating replaces the whole set.
CREATE TABLE recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash  BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

CREATE TABLE passkeys (
  -- The credential id (base64url), as the authenticator gave it.
  id           TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key   BLOB NOT NULL,
  counter      INTEGER NOT NULL DEFAULT 0,
  transports   TEXT NOT NULL DEFAULT '[]',
  name         TEXT NOT NULL,
  backed_up    INTEGER NOT NULL DEFAULT 0 CHECK (backed_up IN (0, 1)),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- Per-account state of the above: the WebAuthn user handle (random, never the user id) and how many
-- logins the account made without a second factor while the admin's policy asked for one.
CREATE TABLE account_security (
  user_id         INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  webauthn_handle TEXT UNIQUE,
  grace_logins    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Half-sessions: a correct password for an account with a second factor. The browser holds the id
-- and a secret (only its SHA-256 is kept) in a cookie that only the second-factor routes read.
CREATE TABLE login_challenges (
  id          TEXT PRIMARY KEY,
  secret_hash BLOB NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  failures    INTEGER NOT NULL DEFAULT 0,
  ip          TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  -- The browser's previous session, replaced when this login completes (as a direct login does).
  replacing   TEXT
) STRICT;
CREATE INDEX login_challenges_by_expiry ON login_challenges (expires_at);

-- WebAuthn challenges: random, single use, a few minutes long; kept in the database so that the
-- ceremony may end on another node of a cluster than the one that began it.
CREATE TABLE webauthn_challenges (
  id         TEXT PRIMARY KEY,
  challenge  TEXT NOT NULL,
  purpose    TEXT NOT NULL CHECK (purpose IN ('register', 'login', 'second_factor', 'reauth')),
  user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);

-- When a session last proved its password or passkey (sensitive actions want it within 5 minutes).
CREATE TABLE session_reauth (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One-time password reset links an admin (or the operator's CLI) hands to a user: 256 random bits,
-- of which only the SHA-256 is kept; single use, 24 hours.
CREATE TABLE password_resets (
  id         TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT;
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- Data exports (a user's own data, or one room for an admin), built in the background into a zip
-- under <files>/.exports/ and kept for 24 hours.
CREATE TABLE exports (
  id          TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- Set for an admin's export of one room; NULL for a user's export of their own data.
  room_id     INTEGER REFERENCES rooms (id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('running', 'ready', 'failed')),
  progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  size        INTEGER
) STRICT;
CREATE INDEX exports_by_user ON exports (user_id, created_at);
CREATE INDEX exports_by_expiry ON exports (expires_at);
