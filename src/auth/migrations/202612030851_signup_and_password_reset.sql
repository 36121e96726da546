-- Self-service accounts: operator sign-up confirmed by e-mail, and password reset by e-mail.
-- Tokens travel only in the mail; these tables keep their SHA-256. A pending sign-up keeps the
-- Argon2id hash of the password typed at sign-up, never the password. Times are Unix seconds.
CREATE TABLE pending_signups (
  token_hash BLOB PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  organisation TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  next_path TEXT NOT NULL DEFAULT '/',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX pending_signups_email ON pending_signups (lower(email));
CREATE INDEX pending_signups_expires ON pending_signups (expires_at);

CREATE TABLE password_resets (
  token_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);
CREATE INDEX password_resets_expires ON password_resets (expires_at);

-- Requests counted for the rate limits. `subject` is a SHA-256 of e.g. "signup:address:<ip>",
-- "signup:email:<address>" or "signup:all", so no address or e-mail is kept in clear.
CREATE TABLE self_service_requests (
  subject BLOB NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX self_service_requests_subject ON self_service_requests (subject, at);
