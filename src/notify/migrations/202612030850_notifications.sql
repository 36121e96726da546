-- In-app notifications, owned by notify since this migration. Databases made before it got the
-- table from the call's first migration (202611260100_call.sql) with this same definition; IF
-- NOT EXISTS leaves theirs as it is, fresh databases get it here.
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX IF NOT EXISTS notifications_user ON notifications (user_id, created_at);

-- Mail waiting to go out, sent, or given up. Queued in the transaction of the change it tells
-- about and delivered afterwards, outside any transaction (notify::deliver_pending).
-- `link` is a path on this site, written into the mail as an absolute URL at delivery.
-- A sent mail keeps only its envelope: body and link are cleared (they may hold one-time links).
-- `next_attempt_at` is in Unix seconds: the next try, or the end of a sender's claim on it.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at TEXT,
  gave_up_at TEXT,
  last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX mail_outbox_gave_up ON mail_outbox (gave_up_at) WHERE gave_up_at IS NOT NULL;
