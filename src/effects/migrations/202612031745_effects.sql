-- Effect verification (R3.5, issue 20): KPIs of the operators with actuals by period, and
-- pre/post surveys with their uploaded exports, the remembered column mapping and the
-- statistics engine's last result. Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ".

-- An indicator of an operator (optionally of one of its projects), attributed to one block.
CREATE TABLE effect_kpis (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL,                  -- operators.id (operations)
  project_id INTEGER,                            -- projects.id (operations), optional
  block_id TEXT NOT NULL,                        -- one of the operator's blocks (the project's when given)
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('industry', 'education', 'activity')),
  shared_key TEXT NOT NULL DEFAULT '',           -- '' or a shared indicator (schools, companies, pupils, teachers)
  cumulative INTEGER NOT NULL DEFAULT 1 CHECK (cumulative IN (0, 1)),  -- 1: actuals add up; 0: the latest is the level
  baseline REAL NOT NULL DEFAULT 0,
  target REAL NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX effect_kpis_operator ON effect_kpis (operator_id);

-- One actual per indicator and period ("2026-10" a month, "2026-T2" a school term).
CREATE TABLE effect_kpi_actuals (
  id INTEGER PRIMARY KEY,
  kpi_id INTEGER NOT NULL REFERENCES effect_kpis (id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  value REAL NOT NULL,
  source TEXT NOT NULL DEFAULT '',               -- where the number comes from
  evidence TEXT NOT NULL DEFAULT '',             -- a link or a note on the evidence
  recorded_at TEXT NOT NULL,
  recorded_by INTEGER,                           -- users.id
  UNIQUE (kpi_id, period)
);

-- A pre/post survey of an operator (optionally of a project).
CREATE TABLE effect_surveys (
  id INTEGER PRIMARY KEY,
  operator_id INTEGER NOT NULL,
  project_id INTEGER,
  block_id TEXT NOT NULL,
  title TEXT NOT NULL,
  mapping TEXT NOT NULL DEFAULT '',              -- JSON: respondent key, items, scale, reversed, free text (remembered)
  config TEXT NOT NULL DEFAULT '',               -- the engine configuration of the last run (JSON, as the CLI reads it)
  result TEXT NOT NULL DEFAULT '',               -- the engine's JSON of the last run (kakehashi survey analyze --format json)
  pairs INTEGER NOT NULL DEFAULT 0,
  analysed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX effect_surveys_operator ON effect_surveys (operator_id);

-- The uploaded exports (personal data: respondents' identifiers and free text). 'staged' files
-- wait for the mapping and the run; 'used' ones are those of the last result.
CREATE TABLE effect_survey_files (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES effect_surveys (id) ON DELETE CASCADE,
  wave TEXT NOT NULL CHECK (wave IN ('pre', 'post')),
  state TEXT NOT NULL CHECK (state IN ('staged', 'used')),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  content BLOB NOT NULL,
  inspection TEXT NOT NULL DEFAULT '',           -- the inspector's summary (JSON) at upload
  uploaded_at TEXT NOT NULL,
  uploaded_by INTEGER,
  UNIQUE (survey_id, wave, state)
);
