-- SQL functions the stores use that one backend lacks (group_concat, SUM of a comparison).
-- SQLite has them all built in; PostgreSQL gets them from the .pg.sql twin.
SELECT 1;
