-- Events (issue 18; R5.1–R5.4): interim report events and the national final event, their
-- programme and costs, public registration with a wait list, check-in, and the matchmaking of
-- the final event (requests, slots and tables, meetings from events/match).
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; money is integer yen.

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,                     -- the public page /e/{slug}
  kind TEXT NOT NULL CHECK (kind IN ('interim', 'final')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
  in_person INTEGER NOT NULL DEFAULT 1,          -- a venue with seats
  online INTEGER NOT NULL DEFAULT 0,             -- online participation offered
  prefecture TEXT NOT NULL DEFAULT '',           -- JIS code "01".."47"; '' when online only
  venue TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  capacity INTEGER NOT NULL CHECK (capacity >= 0),  -- seats at the venue (online: no limit)
  registration_closes_at TEXT NOT NULL,
  offer_hours INTEGER NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 1 AND 720),
  cohost_name TEXT NOT NULL DEFAULT '',          -- an existing event this one is held with
  cohost_counting TEXT NOT NULL DEFAULT 'ours' CHECK (cohost_counting IN ('ours', 'partner', 'both')),
  cohost_operator_id INTEGER,                    -- operators.id (operations): sees the registrants
  published INTEGER NOT NULL DEFAULT 0,
  matchmaking INTEGER NOT NULL DEFAULT 0,
  requests_open_at TEXT,
  requests_close_at TEXT,
  match_tables INTEGER NOT NULL DEFAULT 0 CHECK (match_tables >= 0),
  schedule_published_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_sessions (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  starts TEXT NOT NULL,                          -- "13:30" (Japan time on the event day)
  title TEXT NOT NULL,
  speakers TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_sessions_event ON event_sessions (event_id, starts);

-- Costs of an event; each is also an expense of the programme's budget (operations), whose id
-- is kept here.
CREATE TABLE event_costs (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  category TEXT NOT NULL CHECK (category IN ('venue', 'publicity', 'speakers', 'other')),
  description TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  spent_on TEXT NOT NULL,
  expense_id INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX event_costs_event ON event_costs (event_id);

-- One row per person and event: the uniqueness on the normalised e-mail makes a second
-- registration impossible whatever the concurrency.
CREATE TABLE event_registrations (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  receipt TEXT NOT NULL UNIQUE,                  -- "E3-7KQ4MX": the receipt number and QR content
  name TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('company', 'municipality', 'school', 'operator', 'other')),
  school_type TEXT NOT NULL DEFAULT '',
  prefecture TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  attendance TEXT NOT NULL CHECK (attendance IN ('in_person', 'online')),
  status TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'offered', 'cancelled', 'expired')),
  queue INTEGER NOT NULL DEFAULT 0,              -- wait-list order (0: never waited)
  offer_expires_at TEXT,
  walk_in INTEGER NOT NULL DEFAULT 0,
  attended_at TEXT,
  checked_in_by INTEGER,
  match_opt_in INTEGER NOT NULL DEFAULT 0,
  offers TEXT NOT NULL DEFAULT '',               -- what they offer (matchmaking directory)
  seeks TEXT NOT NULL DEFAULT '',                -- what they look for
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (event_id, email_norm)
);
CREATE INDEX event_registrations_state ON event_registrations (event_id, status, queue);

-- The key of the personal links (HMAC-SHA256 of the registration), made on first use.
CREATE TABLE event_link_keys (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  secret BLOB NOT NULL
);

-- Per-address counts of public form submissions (serve --public-form-limit).
CREATE TABLE event_form_hits (
  subject BLOB NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX event_form_hits_subject ON event_form_hits (subject, at);

-- Matchmaking of the final event.
CREATE TABLE event_slots (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  starts_at TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes > 0)
);
CREATE INDEX event_slots_event ON event_slots (event_id, position);

CREATE TABLE event_match_requests (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL REFERENCES event_registrations (id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES event_registrations (id) ON DELETE CASCADE,
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined')),
  created_at TEXT NOT NULL,
  answered_at TEXT,
  UNIQUE (event_id, from_id, to_id),
  CHECK (from_id <> to_id)
);
CREATE INDEX event_match_requests_to ON event_match_requests (to_id);

CREATE TABLE event_meetings (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  a_id INTEGER NOT NULL,
  b_id INTEGER NOT NULL,
  slot_id INTEGER NOT NULL REFERENCES event_slots (id) ON DELETE CASCADE,
  table_no INTEGER NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_meetings_event ON event_meetings (event_id, slot_id, table_no);

CREATE TABLE event_unscheduled (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX event_unscheduled_event ON event_unscheduled (event_id);
