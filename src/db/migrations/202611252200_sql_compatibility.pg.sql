-- PostgreSQL twin of 202611252200_sql_compatibility.sql: SQLite's functions that stores use and
-- PostgreSQL lacks, so that stores keep one query text for both backends.

-- group_concat(x): comma separated, NULLs skipped.
CREATE FUNCTION kakehashi_concat_comma(state text, value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN state WHEN state IS NULL THEN value ELSE state || ',' || value END
$$;
CREATE AGGREGATE group_concat(text) (SFUNC = kakehashi_concat_comma, STYPE = text);

-- SUM(condition): SQLite's comparisons are 0/1 integers, so SUM(x = y) counts the rows where
-- it holds (NULL when there are no non-NULL values).
CREATE FUNCTION kakehashi_sum_bool(state bigint, value boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN state ELSE COALESCE(state, 0) + CASE WHEN value THEN 1 ELSE 0 END END
$$;
CREATE AGGREGATE sum(boolean) (SFUNC = kakehashi_sum_bool, STYPE = bigint);
