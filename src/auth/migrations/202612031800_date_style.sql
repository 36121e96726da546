-- Issue 16 item 8: how dates are written for each person: Western years (default), Japanese era
-- years (令和8年12月3日), or both (令和8年（2026年）12月3日).
ALTER TABLE users ADD COLUMN date_style TEXT NOT NULL DEFAULT 'western' CHECK (date_style IN ('western', 'era', 'both'));
