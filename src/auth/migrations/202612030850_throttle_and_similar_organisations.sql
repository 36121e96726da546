-- An organisation created with a name that nearly equals an older one's (株式会社サクラ and
-- (株)サクラ) points at it, so the secretariat sees 「類似名称あり」 beside it.
ALTER TABLE organisations ADD COLUMN similar_to INTEGER REFERENCES organisations (id);

-- Per-address slowing of failed logins: once an address has many failures, one password check
-- per address every few seconds. `subject` is the same SHA-256 as in login_failures.
CREATE TABLE login_throttle (
  subject BLOB PRIMARY KEY,
  last_check_at INTEGER NOT NULL
);
