-- Orleans AdoNet grain storage. A row is identified by (service, state name, N0, N1, key extension);
-- the provider's hashes change with its hasher, so they are stored for information only and never matched.
-- GrainTypeString is the state name ([PersistentState("name")]), not the grain class.
--
-- Versions (the ETag) are int4 and run 1, 2, ... 2147483647, 1, ...; they are never 0 or negative, so
-- 0 and -1 are free to mean "deleted": DeleteStorageKey answers one of them and a later write carrying it
-- is treated like a first write.

CREATE TABLE IF NOT EXISTS orleansstorage
(
    serviceid              text        NOT NULL,
    graintypestring        text        NOT NULL,
    grainidn0              int8        NOT NULL,
    grainidn1              int8        NOT NULL,
    grainidextensionstring text        NULL,
    grainidhash            int4        NOT NULL,
    graintypehash          int4        NOT NULL,
    payloadbinary          bytea       NULL,
    version                int4        NOT NULL CHECK (version > 0),
    modifiedon             timestamptz NOT NULL DEFAULT now()
);

-- NULL extensions are equal here, so racing first writes of one grain have exactly one winner.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_grain
    ON orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring) NULLS NOT DISTINCT;

CREATE OR REPLACE FUNCTION outreach_next_version(current_version int4)
RETURNS int4
LANGUAGE sql IMMUTABLE
AS $fn$
    SELECT CASE WHEN current_version IS NULL OR current_version >= 2147483647 OR current_version < 1
                THEN 1 ELSE current_version + 1 END;
$fn$;

-- Writes the payload; returns the new version, or NULL when the caller's version is stale.
CREATE OR REPLACE FUNCTION outreach_storage_write(
    p_serviceid text, p_statename text, p_n0 int8, p_n1 int8, p_extension text,
    p_grainidhash int4, p_graintypehash int4, p_version int4, p_payload bytea)
RETURNS int4
LANGUAGE plpgsql
AS $fn$
DECLARE
    new_version int4;
BEGIN
    IF p_version IS NULL OR p_version < 1 THEN
        INSERT INTO orleansstorage AS s
            (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
             grainidhash, graintypehash, payloadbinary, version)
        VALUES (p_serviceid, p_statename, p_n0, p_n1, p_extension, p_grainidhash, p_graintypehash, p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING s.version INTO new_version;
    ELSE
        UPDATE orleansstorage AS s
        SET payloadbinary = p_payload,
            version = outreach_next_version(s.version),
            grainidhash = p_grainidhash,
            graintypehash = p_graintypehash,
            modifiedon = now()
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1
          AND (s.grainidextensionstring = p_extension OR (s.grainidextensionstring IS NULL AND p_extension IS NULL))
          AND s.version = p_version
        RETURNING s.version INTO new_version;
    END IF;
    RETURN new_version;
END;
$fn$;

-- Clears the payload but keeps the row; returns the new version, or NULL when the caller's version is stale.
CREATE OR REPLACE FUNCTION outreach_storage_clear(
    p_serviceid text, p_statename text, p_n0 int8, p_n1 int8, p_extension text,
    p_grainidhash int4, p_graintypehash int4, p_version int4)
RETURNS int4
LANGUAGE plpgsql
AS $fn$
BEGIN
    RETURN outreach_storage_write(p_serviceid, p_statename, p_n0, p_n1, p_extension,
                                  p_grainidhash, p_graintypehash, p_version, NULL);
END;
$fn$;

-- Deletes the row; returns 0 (or -1 when the caller's version was 0), or NULL when the caller's version is stale.
CREATE OR REPLACE FUNCTION outreach_storage_delete(
    p_serviceid text, p_statename text, p_n0 int8, p_n1 int8, p_extension text, p_version int4)
RETURNS int4
LANGUAGE plpgsql
AS $fn$
DECLARE
    deleted_marker int4 := CASE WHEN p_version = 0 THEN -1 ELSE 0 END;
BEGIN
    IF p_version IS NULL OR p_version < 1 THEN
        -- The caller believes there is no row: succeed only if that is still true.
        PERFORM 1 FROM orleansstorage AS s
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1
          AND (s.grainidextensionstring = p_extension OR (s.grainidextensionstring IS NULL AND p_extension IS NULL));
        RETURN CASE WHEN FOUND THEN NULL ELSE deleted_marker END;
    END IF;
    DELETE FROM orleansstorage AS s
    WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
      AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1
      AND (s.grainidextensionstring = p_extension OR (s.grainidextensionstring IS NULL AND p_extension IS NULL))
      AND s.version = p_version;
    RETURN CASE WHEN FOUND THEN deleted_marker ELSE NULL END;
END;
$fn$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payloadbinary AS PayloadBinary, version AS Version
FROM orleansstorage
WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND (grainidextensionstring = CAST(@GrainIdExtensionString AS text)
       OR (grainidextensionstring IS NULL AND CAST(@GrainIdExtensionString AS text) IS NULL));
$q$),

('WriteToStorageKey', $q$
SELECT outreach_storage_write(
    CAST(@ServiceId AS text), CAST(@GrainTypeString AS text), CAST(@GrainIdN0 AS int8), CAST(@GrainIdN1 AS int8),
    CAST(@GrainIdExtensionString AS text), CAST(@GrainIdHash AS int4), CAST(@GrainTypeHash AS int4),
    CAST(@GrainStateVersion AS int4), CAST(@PayloadBinary AS bytea)) AS NewGrainStateVersion;
$q$),

('ClearStorageKey', $q$
SELECT outreach_storage_clear(
    CAST(@ServiceId AS text), CAST(@GrainTypeString AS text), CAST(@GrainIdN0 AS int8), CAST(@GrainIdN1 AS int8),
    CAST(@GrainIdExtensionString AS text), CAST(@GrainIdHash AS int4), CAST(@GrainTypeHash AS int4),
    CAST(@GrainStateVersion AS int4)) AS NewGrainStateVersion;
$q$),

('DeleteStorageKey', $q$
SELECT outreach_storage_delete(
    CAST(@ServiceId AS text), CAST(@GrainTypeString AS text), CAST(@GrainIdN0 AS int8), CAST(@GrainIdN1 AS int8),
    CAST(@GrainIdExtensionString AS text), CAST(@GrainStateVersion AS int4)) AS NewGrainStateVersion;
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
