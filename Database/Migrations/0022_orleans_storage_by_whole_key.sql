-- A grain's stored state is found by its whole key. The read and the write functions matched the key's string part
-- with "= extension OR (IS NULL AND extension IS NULL)": a plan made for any extension (a connection's prepared
-- statement after five runs, a function's cached plan) could use the index only up to grainidn0/grainidn1 and
-- filtered the rest — and every string-keyed grain (accounts: "login:…", both numbers 0) shares those. Each account's
-- read or write walked every account's row: ≈ 1,650 pages and 4–8 ms per read with 100,000 accounts in the city bench.
-- Now each case has a statement of its own whose condition the unique index answers whole.

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payloadbinary AS PayloadBinary, version AS Version
FROM orleansstorage
WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND grainidextensionstring = CAST(@GrainIdExtensionString AS text)
UNION ALL
SELECT payloadbinary, version
FROM orleansstorage
WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
  AND grainidextensionstring IS NULL AND CAST(@GrainIdExtensionString AS text) IS NULL;
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

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
    ELSIF p_extension IS NULL THEN
        UPDATE orleansstorage AS s
        SET payloadbinary = p_payload, version = outreach_next_version(s.version),
            grainidhash = p_grainidhash, graintypehash = p_graintypehash, modifiedon = now()
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring IS NULL
          AND s.version = p_version
        RETURNING s.version INTO new_version;
    ELSE
        UPDATE orleansstorage AS s
        SET payloadbinary = p_payload, version = outreach_next_version(s.version),
            grainidhash = p_grainidhash, graintypehash = p_graintypehash, modifiedon = now()
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring = p_extension
          AND s.version = p_version
        RETURNING s.version INTO new_version;
    END IF;
    RETURN new_version;
END;
$fn$;

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
        IF p_extension IS NULL THEN
            PERFORM 1 FROM orleansstorage AS s
            WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
              AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring IS NULL;
        ELSE
            PERFORM 1 FROM orleansstorage AS s
            WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
              AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring = p_extension;
        END IF;
        RETURN CASE WHEN FOUND THEN NULL ELSE deleted_marker END;
    END IF;
    IF p_extension IS NULL THEN
        DELETE FROM orleansstorage AS s
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring IS NULL
          AND s.version = p_version;
    ELSE
        DELETE FROM orleansstorage AS s
        WHERE s.serviceid = p_serviceid AND s.graintypestring = p_statename
          AND s.grainidn0 = p_n0 AND s.grainidn1 = p_n1 AND s.grainidextensionstring = p_extension
          AND s.version = p_version;
    END IF;
    RETURN CASE WHEN FOUND THEN deleted_marker ELSE NULL END;
END;
$fn$;
