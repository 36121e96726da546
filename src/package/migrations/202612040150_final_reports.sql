-- Operators' final reports (成果報告書, issue 25), stale builds and approved chapter versions.

-- The version of a written chapter last approved (確認済み): the build uses it, so a chapter
-- edited after its approval keeps its approved text in the report until approved again.
ALTER TABLE package_chapters ADD COLUMN approved_version INTEGER;
UPDATE package_chapters SET approved_version = version WHERE review_status = 'approved' AND kind = 'written';

-- Who runs a claimed build ("host:pid") and when it last reported progress: a build whose
-- worker is gone, or silent for too long, is marked failed (package/service.h recover_stale_builds).
ALTER TABLE package_builds ADD COLUMN worker TEXT NOT NULL DEFAULT '';
ALTER TABLE package_builds ADD COLUMN heartbeat_at TEXT;

-- One final report per operator of a programme year (operator_id and call_id are the operations
-- module's ids; read through its service). status: submitted → returned | accepted.
CREATE TABLE package_final_reports (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL UNIQUE,
  call_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('submitted', 'returned', 'accepted')),
  version INTEGER NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  consent INTEGER NOT NULL DEFAULT 0,            -- the operator consents to publication
  consent_at TEXT,
  review_comment TEXT NOT NULL DEFAULT '',
  reviewed_at TEXT,
  reviewed_by INTEGER,
  submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX package_final_reports_status ON package_final_reports (status);

-- Every uploaded file of a final report (version 1, 2, …; the newest is the report).
CREATE TABLE package_final_report_files (
  report_id INTEGER NOT NULL REFERENCES package_final_reports (id),
  version INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  inspection TEXT NOT NULL DEFAULT '{}',
  uploaded_at TEXT NOT NULL,
  uploaded_by INTEGER,
  PRIMARY KEY (report_id, version)
);

-- The reminders sent before the due date: once per operator, stage and due date (a moved due
-- date arms the stages again).
CREATE TABLE package_final_report_reminders (
  operator_id INTEGER NOT NULL,
  stage TEXT NOT NULL,
  due_on TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (operator_id, stage, due_on)
);

-- Settings of the package: final_report_due = "YYYY-MM-DD" (absent: the last business day of
-- February of the fiscal year).
CREATE TABLE package_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The generated chapter of the blocks' results from the accepted final reports' summaries.
INSERT INTO package_chapters (position, kind, source, title, updated_at) VALUES
  (35, 'generated', 'final_reports', 'ブロック別の成果', '2026-12-04T01:50:00Z');
