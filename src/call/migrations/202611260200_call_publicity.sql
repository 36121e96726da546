-- The publicity record of a call (R2.2): where and when the call was made known.
CREATE TABLE call_publicity (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  published_on TEXT NOT NULL,          -- Japan-time date "YYYY-MM-DD"
  channel TEXT NOT NULL,               -- one of call::kPublicityChannels ids
  description TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  reach INTEGER,                       -- people reached (attendees, recipients), when known
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users (id)
);
CREATE INDEX call_publicity_call ON call_publicity (call_id, published_on);
