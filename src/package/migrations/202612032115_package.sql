-- The report package (issue 25, R6): the report's chapters in order (written chapters in
-- Markdown with their versions and review status; generated chapters name the module that
-- provides them from live data), the builds of the package and the exceptions the secretariat
-- accepted at the gate. Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ".

-- kind: written = Markdown kept here; generated = `source` names the generator
-- (call, operations, projects, events, effects, knowledge).
CREATE TABLE package_chapters (
  id INTEGER PRIMARY KEY,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('written', 'generated')),
  source TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  markdown TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  review_status TEXT NOT NULL DEFAULT 'draft' CHECK (review_status IN ('draft', 'in_review', 'approved')),
  included INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by INTEGER
);
CREATE INDEX package_chapters_position ON package_chapters (position);

-- Every saved text of a written chapter (version 1, 2, …).
CREATE TABLE package_chapter_versions (
  chapter_id INTEGER NOT NULL REFERENCES package_chapters (id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  markdown TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  saved_by INTEGER,
  PRIMARY KEY (chapter_id, version)
);

-- status: running → failed (message says why) | built → delivered (accepted by METI).
CREATE TABLE package_builds (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('running', 'failed', 'built', 'delivered')),
  started_at TEXT NOT NULL,
  started_by INTEGER,
  finished_at TEXT,
  delivered_at TEXT,
  out_dir TEXT NOT NULL DEFAULT '',
  progress TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  public_files INTEGER NOT NULL DEFAULT 0,
  nonpublic_files INTEGER NOT NULL DEFAULT 0,
  public_bytes INTEGER NOT NULL DEFAULT 0,
  claimed INTEGER NOT NULL DEFAULT 1             -- 0: queued from the browser, not yet taken by the server's task
);
CREATE INDEX package_builds_status ON package_builds (status);

-- A gate finding the secretariat accepted: `finding_key` is "<public file>|<code>|<location>".
CREATE TABLE package_exceptions (
  id INTEGER PRIMARY KEY,
  finding_key TEXT NOT NULL UNIQUE,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by INTEGER
);

-- 様式1's text: a written chapter outside the report whose "## 見出し" sections fill the
-- prescribed headings (package/build.h Form1Config).
INSERT INTO package_chapters (position, kind, source, title, markdown, included, updated_at) VALUES
  (0, 'written', 'form1', '様式1（概要）',
   '## 事業の目的

## 事業の内容

## 事業の成果

## 今後の課題
',
   0, '2026-12-03T21:15:00Z');

INSERT INTO package_chapters (position, kind, source, title, updated_at) VALUES
  (10, 'generated', 'call', '公募と採択', '2026-12-03T21:15:00Z'),
  (20, 'generated', 'operations', '実証事業者とマイルストーン', '2026-12-03T21:15:00Z'),
  (30, 'generated', 'projects', 'プロジェクトと実施件数', '2026-12-03T21:15:00Z'),
  (40, 'generated', 'events', 'イベントとマッチング', '2026-12-03T21:15:00Z'),
  (50, 'generated', 'effects', '効果検証', '2026-12-03T21:15:00Z'),
  (90, 'generated', 'knowledge', '事例集・ポイント集（付録）', '2026-12-03T21:15:00Z');
