-- The audit screen filters by action and lists the actions recorded: an index keeps both cheap
-- on a long log.
CREATE INDEX audit_log_action ON audit_log (action);
