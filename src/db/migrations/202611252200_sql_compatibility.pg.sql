-- PostgreSQL twin of 202611252200_sql_compatibility.sql: SQLite's group_concat(x) (comma
-- separated, NULLs skipped), so that stores keep one query text for both backends.
CREATE FUNCTION kakehashi_concat_comma(state text, value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN state WHEN state IS NULL THEN value ELSE state || ',' || value END
$$;
CREATE AGGREGATE group_concat(text) (SFUNC = kakehashi_concat_comma, STYPE = text);
