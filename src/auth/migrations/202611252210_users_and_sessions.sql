-- Organisations, users with their roles, server-side sessions and failed-login records.
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('meti', 'bureau', 'secretariat', 'operator', 'review_committee',
                                     'company', 'school', 'municipality', 'other')),
  block_id TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  organisation_id INTEGER REFERENCES organisations (id),
  block_id TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('meti', 'bureau', 'secretariat', 'security_officer', 'reviewer',
                                     'operator', 'participant')),
  PRIMARY KEY (user_id, role)
);

-- Only the SHA-256 of a session id is stored; a session without user is a visitor's (it holds
-- the CSRF token of the login form).
CREATE TABLE sessions (
  id_hash BLOB PRIMARY KEY,
  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- One row per failed login; `subject` is a SHA-256 of "account:<email>" or "address:<ip>" so
-- the table holds no address or e-mail in clear.
CREATE TABLE login_failures (
  subject BLOB NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, at);
