-- The directories (lists of stations, volunteers and family files, kept in shards by the grains that own
-- each kind): one row per entry, so adding or changing one costs its own row. Before this table a shard was
-- one blob in orleansstorage (state name "directory"), rewritten whole on every change; a shard still found
-- there moves into this table the first time it activates, and its blob is then cleared.
CREATE TABLE IF NOT EXISTS outreach_directory_entries
(
    shard      text        NOT NULL,
    id         uuid        NOT NULL,
    entry      jsonb       NOT NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shard, id)
);
