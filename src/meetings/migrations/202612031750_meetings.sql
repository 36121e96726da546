-- Meetings (R1.1, R3.6, issue 17): the weekly 定例会 with METI and the monthly 連絡会 with METI,
-- the bureaus and the operators, their agendas and materials, minutes with decisions and action
-- items, and the per-user iCalendar feed. Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; calendar
-- days are Japan dates "YYYY-MM-DD".

-- A series generates its meetings once, when it is created (kind: regular = 定例会 weekly,
-- liaison = 連絡会 monthly on the same n-th weekday).
CREATE TABLE meeting_series (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'liaison')),
  title TEXT NOT NULL,
  first_date TEXT NOT NULL,
  last_date TEXT NOT NULL CHECK (last_date >= first_date),
  start_time TEXT NOT NULL,                      -- "10:00", Japan time
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by INTEGER
);

CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  series_id INTEGER REFERENCES meeting_series (id),
  kind TEXT NOT NULL CHECK (kind IN ('regular', 'liaison', 'adhoc')),
  title TEXT NOT NULL,
  starts_at TEXT NOT NULL,                       -- UTC instant
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 15 AND 480),
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',
  cancelled_at TEXT,
  cancel_reason TEXT NOT NULL DEFAULT '',
  day_note TEXT NOT NULL DEFAULT '',             -- the holiday or closed day the date falls on ("" = business day)
  minutes_due TEXT NOT NULL,                     -- Japan date: meeting day + 3 business days
  minutes_owner INTEGER,                         -- users.id: who writes the minutes (secretariat)
  materials_sent_at TEXT,
  minutes_state TEXT NOT NULL DEFAULT 'none'
    CHECK (minutes_state IN ('none', 'draft', 'submitted', 'returned', 'confirmed')),
  minutes_body TEXT NOT NULL DEFAULT '',         -- Markdown
  minutes_saved_at TEXT,
  minutes_submitted_at TEXT,
  minutes_confirmed_at TEXT,
  minutes_confirmed_by INTEGER,
  minutes_return_comment TEXT NOT NULL DEFAULT '',
  minutes_escalated_at TEXT,                     -- when the overdue minutes were escalated to the lead
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX meetings_starts_at ON meetings (starts_at);
CREATE INDEX meetings_series ON meetings (series_id, starts_at);
CREATE INDEX meetings_minutes_open ON meetings (minutes_state, minutes_due);

-- Users (user_id) or named guests (guest_name) attending.
CREATE TABLE meeting_attendees (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  user_id INTEGER,
  guest_name TEXT NOT NULL DEFAULT '',
  CHECK (user_id IS NOT NULL OR guest_name <> '')
);
CREATE INDEX meeting_attendees_user ON meeting_attendees (user_id, meeting_id);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees (meeting_id);

-- The blocks a liaison meeting is about: their bureaus' and operators' users see it.
CREATE TABLE meeting_blocks (
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  block_id TEXT NOT NULL,
  PRIMARY KEY (meeting_id, block_id)
);

CREATE TABLE meeting_agenda_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL,
  owner_name TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 480),  -- time box
  link_kind TEXT NOT NULL DEFAULT '' CHECK (link_kind IN ('', 'operator', 'milestone', 'project')),
  link_id INTEGER,
  link_label TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_agenda_meeting ON meeting_agenda_items (meeting_id, position);

-- Materials, stored after the publication-safety inspector passed them.
CREATE TABLE meeting_materials (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  inspection TEXT NOT NULL DEFAULT '{}',
  added_at TEXT NOT NULL,
  added_by INTEGER
);
CREATE INDEX meeting_materials_meeting ON meeting_materials (meeting_id);

CREATE TABLE meeting_decisions (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id);

-- Action items: decided at one meeting, carried over to every later meeting of its series
-- until closed. series_id is the origin meeting's (NULL for an ad hoc meeting).
CREATE TABLE meeting_action_items (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meetings (id),
  series_id INTEGER,
  title TEXT NOT NULL,
  owner_user_id INTEGER,
  owner_name TEXT NOT NULL DEFAULT '',
  due_on TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX meeting_action_items_series ON meeting_action_items (series_id, status);
CREATE INDEX meeting_action_items_meeting ON meeting_action_items (meeting_id);

-- The history of an action item: created, noted at a later meeting, closed, reopened.
CREATE TABLE meeting_action_events (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES meeting_action_items (id) ON DELETE CASCADE,
  meeting_id INTEGER,
  kind TEXT NOT NULL CHECK (kind IN ('created', 'noted', 'closed', 'reopened')),
  note TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL,
  by_user INTEGER
);
CREATE INDEX meeting_action_events_item ON meeting_action_events (item_id, at);

-- The per-user iCalendar feed: only the SHA-256 of the secret is kept.
CREATE TABLE meeting_feeds (
  user_id INTEGER PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);

-- Settings of the meetings (key/value): lead_user_id = the secretariat lead overdue minutes
-- escalate to.
CREATE TABLE meeting_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
