-- Knowledge (issue 19, R4): the stakeholder map, lessons and cases of the programme, their
-- curation (draft → review → approved → published, withdrawn) and their Japanese search index.
-- Instants are UTC text "YYYY-MM-DDTHH:MM:SSZ". Multi-valued codes (school types, effects,
-- stakeholder types) are stored as ",a,b," so a facet counts them with one LIKE each.

-- A case (kind 'case') or a lesson (kind 'lesson'). Fields of the other kind stay empty.
-- Small columns first, long texts last: the facet counts read only the first columns of each
-- row, which stay on the table's own page (long texts spill to overflow pages).
CREATE TABLE knowledge_items (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('case', 'lesson')),
  status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'review', 'approved', 'published', 'withdrawn')),
  category TEXT NOT NULL DEFAULT '',         -- 'hito' / 'mono' / 'kane' (cases)
  block_id TEXT NOT NULL DEFAULT '',         -- geo block id, '' for nationwide
  outcome TEXT NOT NULL DEFAULT '',          -- lesson: 'success' / 'failure'
  school_types TEXT NOT NULL DEFAULT ',',    -- ",elementary,high,"
  effects TEXT NOT NULL DEFAULT ',',         -- ",recruitment,motivation,"
  stakeholders TEXT NOT NULL DEFAULT ',',    -- ",company,school_high,"
  organisation_id INTEGER,                   -- the author's organisation (operators draft their own)
  operator_id INTEGER,                       -- operators.id (operations), the case's source
  year INTEGER NOT NULL,                     -- fiscal year of the case
  consent INTEGER NOT NULL DEFAULT 0,        -- the parties agreed to publication
  prefecture TEXT NOT NULL DEFAULT '',       -- 都道府県名
  source TEXT NOT NULL DEFAULT 'kakehashi',  -- 'kakehashi' or the collection it was imported from
  created_by INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT,
  pii_checked_at TEXT,
  title TEXT NOT NULL,
  subtype TEXT NOT NULL DEFAULT '',          -- e.g. 企業人材の派遣, 教材の提供, 寄附・ふるさと納税
  projects TEXT NOT NULL DEFAULT '',         -- the projects it documents, as named by the author
  consent_note TEXT NOT NULL DEFAULT '',
  pii_findings TEXT NOT NULL DEFAULT '[]',   -- JSON of the last personal-information check
  pii_accepted_reason TEXT NOT NULL DEFAULT '', -- the secretariat's reason to publish despite findings
  review_comment TEXT NOT NULL DEFAULT '',
  withdrawn_reason TEXT NOT NULL DEFAULT '',
  figures TEXT NOT NULL DEFAULT '[]',        -- JSON [{"label","value","unit"}]
  summary TEXT NOT NULL DEFAULT '',          -- case: summary; lesson: context (背景)
  advice TEXT NOT NULL DEFAULT '',           -- lesson: what to do instead (次に活かすこと)
  effect_industry TEXT NOT NULL DEFAULT '',  -- 産業界への効果 (text)
  effect_education TEXT NOT NULL DEFAULT '', -- 教育現場への効果 (text)
  body TEXT NOT NULL DEFAULT '',             -- case: Markdown body; lesson: what happened
  search_text TEXT NOT NULL DEFAULT ''       -- normalised text (search.h), indexed below
);
CREATE INDEX knowledge_items_kind_status ON knowledge_items (kind, status, published_at);
CREATE INDEX knowledge_items_organisation ON knowledge_items (organisation_id);

-- Trigram full-text index over the normalised text (external content: knowledge_items).
CREATE VIRTUAL TABLE knowledge_fts USING fts5(
  search_text, content='knowledge_items', content_rowid='id', tokenize='trigram');
CREATE TRIGGER knowledge_items_ai AFTER INSERT ON knowledge_items BEGIN
  INSERT INTO knowledge_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER knowledge_items_ad AFTER DELETE ON knowledge_items BEGIN
  INSERT INTO knowledge_fts (knowledge_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER knowledge_items_au AFTER UPDATE OF search_text ON knowledge_items BEGIN
  INSERT INTO knowledge_fts (knowledge_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
  INSERT INTO knowledge_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- The short-query side index: every distinct code point and pair of code points of an item's
-- normalised text, for queries of one or two characters, which trigram MATCH cannot answer.
-- Written by the store with the item (replace_grams).
CREATE TABLE knowledge_grams (
  gram TEXT NOT NULL,
  item_id INTEGER NOT NULL REFERENCES knowledge_items (id) ON DELETE CASCADE,
  PRIMARY KEY (gram, item_id)
) WITHOUT ROWID;
CREATE INDEX knowledge_grams_item ON knowledge_grams (item_id);

-- Photos of a case, stored re-encoded / stripped of metadata (EXIF, GPS, XMP, IPTC, text chunks).
CREATE TABLE knowledge_photos (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES knowledge_items (id) ON DELETE CASCADE,
  caption TEXT NOT NULL,                    -- also the alternative text
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
  bytes BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  removed TEXT NOT NULL DEFAULT '',         -- what the cleaning removed (Japanese, for the curator)
  added_by INTEGER,
  added_at TEXT NOT NULL
);
CREATE INDEX knowledge_photos_item ON knowledge_photos (item_id);

-- The stakeholder map: types with their expected roles and actions (R4.1), edited by the
-- secretariat. Seeded with the programme's usual parties.
CREATE TABLE knowledge_stakeholders (
  code TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  actions TEXT NOT NULL DEFAULT '',
  updated_at TEXT
);
INSERT INTO knowledge_stakeholders (code, position, name, roles, actions) VALUES
  ('company', 1, '企業', '実課題・専門人材・設備を教育現場に提供し、将来の産業人材の育成に参画する。',
   '社員の派遣・出前授業、PBL の課題提供、職場見学・インターンシップの受入れ、教材・機材の提供。'),
  ('municipality', 2, '自治体（首長部局）', '地域の産業政策と教育をつなぎ、連携の座組と財源を用意する。',
   '産業振興部局と教育委員会の橋渡し、ふるさと納税・地方創生交付金の活用、地域企業への呼びかけ。'),
  ('board_of_education', 3, '教育委員会', '学校が外部資源を受け入れる制度と時間を整える。',
   '教育課程への位置付け、兼業・外部人材の任用手続、校長会・研修での周知、成果の共有。'),
  ('school_elementary', 4, '小学校', '探究・キャリア教育の入口として企業と出会う場をつくる。',
   '総合的な学習の時間での授業設計、保護者への説明、企業との事前打合せ。'),
  ('school_junior_high', 5, '中学校', '職場体験とプログラミング・英語などの専門学習を結びつける。',
   '職場体験の事前・事後学習、技術・家庭科や英語での企業人材の活用。'),
  ('school_high', 6, '高等学校', '探究・専門学科で企業の実課題に取り組み、進路につなげる。',
   '課題解決型学習（PBL）、インターンシップ、学校設定科目、高校改革の一環としての連携。'),
  ('coordinator', 7, 'コーディネーター・実証事業者', '産業界と教育現場を実践的につなぎ、継続する座組をつくる。',
   '双方のニーズの翻訳、日程と役割の調整、謝金・保険・個人情報の取決め、振り返りの記録。'),
  ('university', 8, '大学・高専', '専門知識と研究者・学生を教育現場につなぐ。',
   '出前講義、学生メンター、博士人材の実務家教員としての派遣。'),
  ('financial_institution', 9, '金融機関', '金融リテラシー教育と地域企業のネットワークを提供する。',
   '金融教育の出前授業、取引先企業の紹介、企業版ふるさと納税・寄附の仲介。'),
  ('parents_community', 10, '保護者・地域', '学校外の学びを支え、地域に根づく連携を後押しする。',
   '地域人材としての協力、成果発表会への参加、活動の継続への理解。');

-- An uploaded collection waiting for its column mapping (the 2025 case collection, CSV/XLSX).
CREATE TABLE knowledge_imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  bytes BLOB NOT NULL,
  headers TEXT NOT NULL,        -- JSON array of the header texts
  row_count INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  imported_at TEXT              -- set once imported (an import runs once)
);
