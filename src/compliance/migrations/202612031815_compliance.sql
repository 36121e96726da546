-- Information management (issue 21; R7, R8): the information-handler roster (様式4) whose
-- approved version is the access control for protected information, the change requests METI
-- decides, and the close-out records. Sealed columns (BLOB) hold personal fields encrypted with
-- the roster key (compliance/crypto.h): never plaintext. Instants are UTC text
-- "YYYY-MM-DDTHH:MM:SSZ"; calendar days are Japan dates "YYYY-MM-DD".

-- A person of the roster. `active` = on the approved roster (only an approved change sets it).
CREATE TABLE roster_people (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL CHECK (category IN ('responsible', 'manager', 'staff', 'subcontractor')),
  organisation TEXT NOT NULL DEFAULT '',          -- the secretariat's company or the subcontractor
  name TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  address BLOB,                                   -- sealed: home address
  birth_date BLOB,                                -- sealed: date of birth
  passport BLOB,                                  -- sealed: passport number (※4)
  nationality BLOB,                               -- sealed: nationality (※4)
  user_id INTEGER,                                -- the person's account (users.id, auth)
  active INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX roster_people_user ON roster_people (user_id) WHERE user_id IS NOT NULL AND active = 1;

-- A change of the roster (add, change or remove a person) filed in advance; nothing takes
-- effect before METI approves it (specification §8 ③).
CREATE TABLE roster_changes (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('add', 'update', 'remove')),
  person_id INTEGER REFERENCES roster_people (id),  -- the person changed (set for 'add' once approved)
  category TEXT NOT NULL,
  organisation TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  department TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  address BLOB,                                   -- sealed; NULL on 'update': unchanged
  birth_date BLOB,
  passport BLOB,
  nationality BLOB,
  user_id INTEGER,
  reason TEXT NOT NULL,
  effective_from TEXT NOT NULL,                   -- Japan date
  requested_by INTEGER NOT NULL,
  requested_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by INTEGER,
  decided_at TEXT,
  decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roster_changes_status ON roster_changes (status, id);

-- Each approval makes a new version of the roster; the snapshot lists its people without the
-- sealed fields (JSON array), so the history can be shown and exported.
CREATE TABLE roster_versions (
  version INTEGER PRIMARY KEY,
  change_id INTEGER NOT NULL REFERENCES roster_changes (id),
  approved_by INTEGER NOT NULL,
  approved_at TEXT NOT NULL,
  snapshot TEXT NOT NULL
);

-- The close-out (R7.5): who ran it, when, and the signed certificate (JSON).
CREATE TABLE closeouts (
  id INTEGER PRIMARY KEY,
  run_at TEXT NOT NULL,
  run_by TEXT NOT NULL,                           -- "user:12" / "system"
  package_confirmation TEXT NOT NULL,             -- what the operator confirmed about the handover package
  certificate TEXT NOT NULL
);
