-- The half-yearly compliance report (別紙, R8.1) and the incident log (R8.5), issue 21.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; calendar days are Japan dates "YYYY-MM-DD".

-- One report per half-year of the fiscal year (4/1–9/30, 10/1–3/31).
CREATE TABLE compliance_reports (
  id INTEGER PRIMARY KEY,
  period_from TEXT NOT NULL UNIQUE,               -- Japan date
  period_to TEXT NOT NULL,
  due_on TEXT NOT NULL,                           -- Japan date: the end of the month after the period
  contract_title TEXT NOT NULL DEFAULT '',        -- 契約件名 (carried over from the previous report)
  contract_date TEXT NOT NULL DEFAULT '',         -- 契約締結日
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'acknowledged', 'returned')),
  created_by INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  submitted_by INTEGER,
  submitted_at TEXT,
  decided_by INTEGER,
  decided_at TEXT,
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX compliance_reports_status ON compliance_reports (status, due_on);

-- The answer to one item 2)–17): status 実施 / 未実施 / 該当なし and what was done or why not.
CREATE TABLE compliance_report_answers (
  report_id INTEGER NOT NULL REFERENCES compliance_reports (id) ON DELETE CASCADE,
  item INTEGER NOT NULL,
  status TEXT CHECK (status IN ('done', 'not_done', 'not_applicable')),
  detail TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (report_id, item)
);

-- Evidence of an item: an inspected file, or a link to a Kakehashi page.
CREATE TABLE compliance_report_evidence (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES compliance_reports (id) ON DELETE CASCADE,
  item INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  label TEXT NOT NULL,                            -- the file name, or the link's text
  href TEXT NOT NULL DEFAULT '',                  -- link: a Kakehashi path ("/admin/audit")
  content_type TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  inspection TEXT NOT NULL DEFAULT '',            -- the inspector's verdict (JSON)
  content BLOB,                                   -- file: the bytes
  added_by INTEGER NOT NULL,
  added_at TEXT NOT NULL
);
CREATE INDEX compliance_report_evidence_report ON compliance_report_evidence (report_id, item);

-- The history of a report: created, saved, submitted, acknowledged, returned.
CREATE TABLE compliance_report_events (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES compliance_reports (id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  by_user INTEGER NOT NULL,
  event TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX compliance_report_events_report ON compliance_report_events (report_id, id);

-- An information-security incident (情報セキュリティに関する事項 11)): recorded when known, the
-- first report to METI at once, follow-up reports, containment, cause and measures, closure.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  what TEXT NOT NULL,                             -- what happened
  discovered_at TEXT NOT NULL,                    -- when it became known (UTC)
  impact TEXT NOT NULL,
  affected_info TEXT NOT NULL,                    -- which information (kinds and counts, no personal data)
  measures TEXT NOT NULL,                         -- immediate measures taken
  reported_at TEXT NOT NULL,                      -- the first report to METI (UTC)
  contained_at TEXT,
  cause TEXT NOT NULL DEFAULT '',
  prevention TEXT NOT NULL DEFAULT '',            -- measures against recurrence
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  recorded_by INTEGER NOT NULL,
  closed_by INTEGER,
  closed_at TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX incidents_status ON incidents (status, discovered_at);

-- A report to METI about an incident after the first: progress, cause and measures.
CREATE TABLE incident_reports (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  body TEXT NOT NULL,
  reported_by INTEGER NOT NULL,
  reported_at TEXT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports (incident_id, id);

-- METI's confirmation of a close-out's deletion certificate (R7.5), and the package delivery the
-- close-out waits for (entered on the close-out screen until the report package module says it).
ALTER TABLE closeouts ADD COLUMN confirmed_by INTEGER;
ALTER TABLE closeouts ADD COLUMN confirmed_at TEXT;
CREATE TABLE closeout_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  package_delivered_on TEXT,                      -- Japan date
  package_note TEXT NOT NULL DEFAULT '',
  updated_by INTEGER,
  updated_at TEXT
);
