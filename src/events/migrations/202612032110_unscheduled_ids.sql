-- Unscheduled meeting requests keep their order by an explicit id instead of SQLite's implicit
-- rowid, which PostgreSQL does not have. SQLite cannot add a primary key to a table: the table
-- is rebuilt with its rows in their order.
CREATE TABLE event_unscheduled_new (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  from_id INTEGER NOT NULL,
  to_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  message TEXT NOT NULL
);
INSERT INTO event_unscheduled_new (id, event_id, from_id, to_id, reason, message)
  SELECT rowid, event_id, from_id, to_id, reason, message FROM event_unscheduled;
DROP TABLE event_unscheduled;
ALTER TABLE event_unscheduled_new RENAME TO event_unscheduled;
CREATE INDEX event_unscheduled_event ON event_unscheduled (event_id);
