-- The table the Orleans AdoNet providers read their SQL from at start-up:
-- SELECT QueryKey, QueryText FROM OrleansQuery (unquoted, so lower-case names here).
-- Each later script upserts its own rows, so re-running any script is harmless.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  text NOT NULL PRIMARY KEY,
    querytext text NOT NULL
);
