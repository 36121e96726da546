-- Issue 16 item 6: a per-call setting that balances the reviewers' loads first (they differ by at
-- most one where the conflicts allow) and lets expertise decide among balanced assignments.
ALTER TABLE calls ADD COLUMN balance_loads INTEGER NOT NULL DEFAULT 0 CHECK (balance_loads IN (0, 1));
