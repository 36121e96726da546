-- Personal API tokens (Authorization: Bearer on /api/v1). A token reads "kk_<id>_<secret>"; only
-- the SHA-256 of the secret is stored, so the token is shown once, when it is made. Times are
-- Unix seconds. A revoked or expired token stays listed for its owner (and the audit trail).
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
