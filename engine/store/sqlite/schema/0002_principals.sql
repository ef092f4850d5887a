-- SQLite schema, migration 2: who may use the web server (web/auth/auth.h).
-- principals: bearer tokens (SHA-256 of the secret) and users (Argon2id);
-- sessions: web logins, keyed by SHA-256 of the cookie value.

CREATE TABLE principals (
  id              TEXT NOT NULL PRIMARY KEY,
  kind            TEXT NOT NULL CHECK (kind IN ('token', 'user')),
  name            TEXT NOT NULL,
  role            TEXT NOT NULL,
  party           TEXT NOT NULL,
  secret_hash     TEXT NOT NULL,
  created_at_ms   INTEGER NOT NULL
);

CREATE TABLE sessions (
  id              TEXT NOT NULL PRIMARY KEY,
  principal_id    TEXT NOT NULL,
  csrf_token      TEXT NOT NULL,
  created_at_ms   INTEGER NOT NULL,
  expires_at_ms   INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at_ms);
