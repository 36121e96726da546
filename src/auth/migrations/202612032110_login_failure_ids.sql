-- Failed logins get an explicit id (the login's reserved address slot is removed by it), in
-- place of SQLite's implicit rowid, which PostgreSQL does not have. SQLite cannot add a primary
-- key to a table: the table is rebuilt with its rows and their ids.
CREATE TABLE login_failures_new (
  id INTEGER PRIMARY KEY,
  subject BLOB NOT NULL,
  at INTEGER NOT NULL
);
INSERT INTO login_failures_new (id, subject, at) SELECT rowid, subject, at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_subject ON login_failures (subject, at);
