-- The programme year after the award (R1.2, R1.3, R3.1–R3.4, R9.1): operators, their final goal
-- and milestones with evidence, projects and sessions (with the activity-list import), the
-- secretariat's support log and startup mentoring, the budget, and the programme's own staff.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ"; calendar days are Japan dates "YYYY-MM-DD";
-- money is integer yen.

-- One operator per winning organisation and programme year (the call whose results were
-- published). Created from the published decision; contract fields are then kept here.
CREATE TABLE operators (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL,                      -- the call (calls.id, owned by the call module)
  organisation_id INTEGER NOT NULL,              -- organisations.id (auth)
  name TEXT NOT NULL,                            -- the organisation's name at award time
  contract_amount INTEGER NOT NULL CHECK (contract_amount >= 0),
  contract_from TEXT NOT NULL,                   -- Japan date
  contract_to TEXT NOT NULL CHECK (contract_to >= contract_from),
  final_goal TEXT NOT NULL DEFAULT '',           -- R3.1 最終目標
  project_target INTEGER NOT NULL DEFAULT 0 CHECK (project_target >= 0),  -- the operator's own target count of projects
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (call_id, organisation_id)
);

-- The blocks an operator runs, with the amount the decision awarded for each.
CREATE TABLE operator_blocks (
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  call_id INTEGER NOT NULL,
  block_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (operator_id, block_id),
  UNIQUE (call_id, block_id)                     -- one operator per block and programme year
);

CREATE TABLE operator_contacts (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  position INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',                -- department / title
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX operator_contacts_operator ON operator_contacts (operator_id, position);

-- Milestones towards the final goal (R3.1).
CREATE TABLE milestones (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  due_on TEXT NOT NULL,                          -- Japan date
  owner_user_id INTEGER,                         -- users.id, when the owner has an account
  owner_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed', 'cancelled')),
  completed_on TEXT,                             -- Japan date, when status became done
  review_state TEXT NOT NULL DEFAULT 'none' CHECK (review_state IN ('none', 'accepted', 'needs_work')),
  review_comment TEXT NOT NULL DEFAULT '',
  reviewed_by INTEGER,
  reviewed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX milestones_operator ON milestones (operator_id, due_on);

-- Evidence of a milestone: an inspected file, a link or a note.
CREATE TABLE milestone_evidence (
  id INTEGER PRIMARY KEY,
  milestone_id INTEGER NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('file', 'link', 'note')),
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  file_name TEXT,
  content_type TEXT,
  size INTEGER,
  sha256 TEXT,
  content BLOB,
  inspection TEXT NOT NULL DEFAULT '',           -- the inspector's summary (JSON) at upload
  added_at TEXT NOT NULL,
  added_by INTEGER
);
CREATE INDEX milestone_evidence_milestone ON milestone_evidence (milestone_id);

-- Projects formed by an operator (R3.2), counted by the rule of R3.3.
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  block_id TEXT NOT NULL,
  title TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('hito', 'mono', 'kane')),
  subtype TEXT NOT NULL DEFAULT '',              -- see operations/model.h kProjectSubtypes
  continuity TEXT NOT NULL DEFAULT 'one_off' CHECK (continuity IN ('one_off', 'continuing', 'wide_area')),
  description TEXT NOT NULL DEFAULT '',
  counting_key TEXT NOT NULL DEFAULT '',         -- the counting engine's group key, for imports
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX projects_operator ON projects (operator_id, category);
CREATE INDEX projects_counting_key ON projects (operator_id, counting_key);

-- The parties of a project: companies, municipalities / boards of education, schools.
CREATE TABLE project_parties (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('company', 'municipality', 'school')),
  name TEXT NOT NULL,
  school_type TEXT,                              -- one of the nine school types (R3.2), for schools
  prefecture_code TEXT                           -- JIS X 0401 "01" … "47"
);
CREATE INDEX project_parties_project ON project_parties (project_id);

-- The sessions of a project (one row of an operator's activity list).
CREATE TABLE project_sessions (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  held_on TEXT NOT NULL,                         -- Japan date
  place TEXT NOT NULL DEFAULT '',
  pupils INTEGER NOT NULL DEFAULT 0 CHECK (pupils >= 0),
  teachers INTEGER NOT NULL DEFAULT 0 CHECK (teachers >= 0),
  company_staff INTEGER NOT NULL DEFAULT 0 CHECK (company_staff >= 0),
  others INTEGER NOT NULL DEFAULT 0 CHECK (others >= 0),
  note TEXT NOT NULL DEFAULT '',
  source_key TEXT,                               -- hash of the imported row: the same row twice is one session
  created_at TEXT NOT NULL
);
CREATE INDEX project_sessions_project ON project_sessions (project_id, held_on);
CREATE UNIQUE INDEX project_sessions_source ON project_sessions (project_id, source_key) WHERE source_key IS NOT NULL;

-- Activity-list imports: the column mapping remembered per operator, and each upload staged until
-- the operator confirms the grouping.
CREATE TABLE activity_import_mappings (
  operator_id INTEGER PRIMARY KEY REFERENCES operators (id) ON DELETE CASCADE,
  mapping TEXT NOT NULL,                         -- JSON: field -> column header
  updated_at TEXT NOT NULL
);

CREATE TABLE activity_imports (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,                         -- the uploaded file, until confirmed or discarded
  state TEXT NOT NULL DEFAULT 'staged' CHECK (state IN ('staged', 'confirmed', 'discarded')),
  decisions TEXT NOT NULL DEFAULT '[]',          -- JSON: the operator's merge / split decisions
  summary TEXT NOT NULL DEFAULT '',              -- JSON: counts after confirmation
  created_at TEXT NOT NULL,
  created_by INTEGER,
  confirmed_at TEXT
);
CREATE INDEX activity_imports_operator ON activity_imports (operator_id, created_at);

-- The secretariat's accompaniment log per operator (R3.4).
CREATE TABLE support_logs (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  held_on TEXT NOT NULL,                         -- Japan date
  kind TEXT NOT NULL CHECK (kind IN ('visit', 'online', 'phone', 'mail')),
  topic TEXT NOT NULL,
  advice TEXT NOT NULL DEFAULT '',
  next_step TEXT NOT NULL DEFAULT '',
  next_step_due TEXT,                            -- Japan date
  next_step_owner INTEGER,                       -- users.id
  next_step_done_at TEXT,
  created_at TEXT NOT NULL,
  created_by INTEGER
);
CREATE INDEX support_logs_operator ON support_logs (operator_id, held_on);
CREATE INDEX support_logs_open_steps ON support_logs (next_step_owner, next_step_due) WHERE next_step_done_at IS NULL;

-- Startup mentoring among the participants (R3.4).
CREATE TABLE mentorings (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  startup_name TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('seed', 'early', 'new_to_education')),
  goals TEXT NOT NULL DEFAULT '',
  mentor_user_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE mentoring_sessions (
  id INTEGER PRIMARY KEY,
  mentoring_id INTEGER NOT NULL REFERENCES mentorings (id) ON DELETE CASCADE,
  held_on TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  next_step TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by INTEGER
);
CREATE INDEX mentoring_sessions_mentoring ON mentoring_sessions (mentoring_id, held_on);

-- Budget (R9.1): the secretariat's own expenses with receipts, and the monthly plan.
CREATE TABLE expenses (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL,                      -- the programme year
  spent_on TEXT NOT NULL,                        -- Japan date
  category TEXT NOT NULL CHECK (category IN ('venue', 'speakers', 'publicity', 'other')),
  budget_line TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  receipt_name TEXT,
  receipt_type TEXT,
  receipt_size INTEGER,
  receipt_sha256 TEXT,
  receipt BLOB,
  created_at TEXT NOT NULL,
  created_by INTEGER
);
CREATE INDEX expenses_call ON expenses (call_id, spent_on);

CREATE TABLE budget_plan (
  call_id INTEGER NOT NULL,
  month TEXT NOT NULL,                           -- "YYYY-MM"
  category TEXT NOT NULL CHECK (category IN ('operators', 'venue', 'speakers', 'publicity', 'other')),
  planned INTEGER NOT NULL CHECK (planned >= 0),
  PRIMARY KEY (call_id, month, category)
);

-- The programme's own staff (R1.3); the information-handler roster links to them later.
CREATE TABLE programme_staff (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,                            -- e.g. 統括責任者, 担当者
  share_percent INTEGER NOT NULL DEFAULT 100 CHECK (share_percent BETWEEN 0 AND 100),
  user_id INTEGER,                               -- users.id when the person has an account
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Settings of the operations module (e.g. weeks without activity before a red flag).
CREATE TABLE operations_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO operations_settings (key, value) VALUES ('inactivity_weeks', '4');
INSERT INTO operations_settings (key, value) VALUES ('programme_cap', '210000000');
