-- The public call (R2.2–R2.7): set-up, applications, review and selection.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ" (shown in Japan time); money is integer yen.

CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  opens_at TEXT NOT NULL,
  closes_at TEXT NOT NULL CHECK (closes_at > opens_at),
  award_min INTEGER NOT NULL DEFAULT 15000000 CHECK (award_min > 0),
  award_max INTEGER NOT NULL DEFAULT 25000000 CHECK (award_max >= award_min),
  budget_total INTEGER NOT NULL DEFAULT 210000000 CHECK (budget_total > 0),
  min_total REAL,                               -- optional minimum weighted total of a review
  reviewers_per_application INTEGER NOT NULL DEFAULT 3 CHECK (reviewers_per_application BETWEEN 1 AND 10),
  max_load INTEGER NOT NULL DEFAULT 10 CHECK (max_load BETWEEN 1 AND 200),
  peer_reviews TEXT NOT NULL DEFAULT 'never' CHECK (peer_reviews IN ('never', 'after_own')),
  hide_personal INTEGER NOT NULL DEFAULT 1,
  published INTEGER NOT NULL DEFAULT 0,         -- visible to the public (and open from opens_at)
  decision_state TEXT NOT NULL DEFAULT 'none'
    CHECK (decision_state IN ('none', 'recorded', 'approved', 'published')),
  decision_recorded_at TEXT, decision_recorded_by INTEGER REFERENCES users (id),
  approved_at TEXT, approved_by INTEGER REFERENCES users (id),
  results_published_at TEXT,
  created_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users (id)
);

CREATE TABLE call_blocks (
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  block_id TEXT NOT NULL,
  PRIMARY KEY (call_id, block_id)
);

-- Written criteria: a weight and a scale 1..levels with a descriptor per level.
CREATE TABLE call_criteria (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  weight INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
  levels INTEGER NOT NULL CHECK (levels BETWEEN 2 AND 10)
);
CREATE INDEX call_criteria_call ON call_criteria (call_id, position);

CREATE TABLE call_criterion_levels (
  criterion_id INTEGER NOT NULL REFERENCES call_criteria (id) ON DELETE CASCADE,
  level INTEGER NOT NULL,
  descriptor TEXT NOT NULL,
  PRIMARY KEY (criterion_id, level)
);

-- Guideline documents (公募要領 …): every upload is a new version; older ones stay.
CREATE TABLE call_documents (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  version INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_at TEXT NOT NULL,
  uploaded_by INTEGER REFERENCES users (id),
  UNIQUE (call_id, title, version)
);

CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL REFERENCES calls (id),
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  receipt_number TEXT UNIQUE,
  submitted_at TEXT,
  reopened_reason TEXT,
  -- organisation profile; the personal fields may be hidden from reviewers
  organisation_profile TEXT NOT NULL DEFAULT '',
  representative_name TEXT NOT NULL DEFAULT '',
  contact_name TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  qualification_coordination INTEGER NOT NULL DEFAULT 0,
  qualification_matching INTEGER NOT NULL DEFAULT 0,
  qualification_community INTEGER NOT NULL DEFAULT 0,
  qualification_note TEXT NOT NULL DEFAULT '',
  -- the plan
  plan_projects TEXT NOT NULL DEFAULT '',
  plan_pbl TEXT NOT NULL DEFAULT '',
  plan_continuity TEXT NOT NULL DEFAULT '',
  plan_self_sufficiency TEXT NOT NULL DEFAULT '',
  plan_regional_fit TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',              -- topic ids separated by spaces (for reviewer expertise)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by INTEGER REFERENCES users (id),
  UNIQUE (call_id, organisation_id)
);
CREATE INDEX applications_call ON applications (call_id, status);

CREATE TABLE application_blocks (
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  block_id TEXT NOT NULL,
  requested INTEGER NOT NULL CHECK (requested >= 0),
  PRIMARY KEY (application_id, block_id)
);

CREATE TABLE application_attachments (
  id INTEGER PRIMARY KEY,
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_at TEXT NOT NULL
);

-- A reviewer's expertise (topic ids), used by the assignment.
CREATE TABLE reviewer_expertise (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  PRIMARY KEY (user_id, topic)
);

-- Conflict-of-interest declarations, one per reviewer and applicant organisation.
CREATE TABLE conflict_declarations (
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES users (id),
  organisation_id INTEGER NOT NULL REFERENCES organisations (id),
  conflict INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  declared_at TEXT NOT NULL,
  PRIMARY KEY (call_id, reviewer_id, organisation_id)
);

CREATE TABLE review_assignments (
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES users (id),
  locked INTEGER NOT NULL DEFAULT 0,
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (application_id, reviewer_id)
);
CREATE INDEX review_assignments_reviewer ON review_assignments (reviewer_id);

CREATE TABLE reviews (
  application_id INTEGER NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES users (id),
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  comment TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  submitted_at TEXT,
  PRIMARY KEY (application_id, reviewer_id)
);

CREATE TABLE review_scores (
  application_id INTEGER NOT NULL,
  reviewer_id INTEGER NOT NULL,
  criterion_id INTEGER NOT NULL REFERENCES call_criteria (id),
  level INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (application_id, reviewer_id, criterion_id),
  FOREIGN KEY (application_id, reviewer_id) REFERENCES reviews (application_id, reviewer_id) ON DELETE CASCADE
);

-- The committee's decision: one award per block, with the solver's proposal beside it. A block
-- may be decided as "no award" (application_id NULL, amount 0), with its rationale.
CREATE TABLE call_decisions (
  call_id INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  block_id TEXT NOT NULL,
  application_id INTEGER REFERENCES applications (id),
  amount INTEGER NOT NULL,
  proposed_application_id INTEGER REFERENCES applications (id),
  rationale TEXT NOT NULL,
  PRIMARY KEY (call_id, block_id)
);

-- In-system notifications moved to the notify module (src/notify/migrations/202612030850_notifications.sql).
