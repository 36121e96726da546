-- Issue 16 item 4: every hand-off is announced.
-- A review deadline per call (UTC instant, optional) and when its reminder went out, so the
-- reminder is sent once whoever runs it.
ALTER TABLE calls ADD COLUMN review_deadline TEXT;
ALTER TABLE calls ADD COLUMN review_reminded_at TEXT;
-- METI may return a recorded decision with a comment: decision_state goes back to 'none' and
-- these say it was returned (the model's DecisionState::kReturned) until it is recorded again.
ALTER TABLE calls ADD COLUMN decision_returned_at TEXT;
ALTER TABLE calls ADD COLUMN decision_returned_by INTEGER REFERENCES users(id);
ALTER TABLE calls ADD COLUMN decision_return_comment TEXT;
