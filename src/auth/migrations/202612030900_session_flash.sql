-- The notice shown once on the next page after a change ("保存しました"), kept on the server so
-- that no text in a URL can pose as one.
ALTER TABLE sessions ADD COLUMN flash_kind TEXT;
ALTER TABLE sessions ADD COLUMN flash_message TEXT;
