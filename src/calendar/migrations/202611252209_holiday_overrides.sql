-- The official holiday list (内閣府「国民の祝日」CSV) as imported by `kakehashi calendar import`.
-- For every year that has rows here, these rows replace the holidays the rules compute; other
-- years keep the rules. An import replaces the rows of each year its file covers.
CREATE TABLE holiday_overrides (
  date TEXT PRIMARY KEY,            -- ISO date, e.g. 2026-09-21
  year INTEGER NOT NULL,            -- the date's year, for replacing whole years
  name TEXT NOT NULL,               -- as published, e.g. 敬老の日, 休日
  source TEXT NOT NULL DEFAULT '',  -- the imported file's name
  imported_at TEXT NOT NULL         -- UTC, ISO 8601 with seconds
);
CREATE INDEX holiday_overrides_year ON holiday_overrides (year);
