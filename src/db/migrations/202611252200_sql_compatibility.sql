-- SQL functions the stores use that one backend lacks. SQLite has them all built in.
SELECT 1;
