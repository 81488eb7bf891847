-- The access audit (等保 2.0 level 2; PIPL): one row per read of personal data (a family file, a request's full
-- details, a phone lookup, a list of files) and per change of a file or of a request's personal fields. Written by
-- the web only (Web/Audit/AuditLog.cs), never with a phone number or an address in it: the subject's id and the
-- kind of access. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, whoever asks.
CREATE TABLE IF NOT EXISTS outreach_audit
(
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id     uuid        NULL,      -- the account; NULL for rows carried over from the files' own trails
    actor_login  text        NULL,
    actor_name   text        NULL,
    actor_roles  text        NOT NULL DEFAULT '',  -- the account's roles when it acted, comma-separated
    action       text        NOT NULL,  -- file.read, file.list, file.search, file.create, file.update, phone.lookup, request.read, request.create, map.snapshot, audit.read
    subject_kind text        NOT NULL,  -- file, request, map, audit
    subject_id   uuid        NULL,
    detail       text        NULL       -- what kind of read or which parts changed; never a value of personal data
);

CREATE INDEX IF NOT EXISTS ix_outreach_audit_at ON outreach_audit (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_outreach_audit_subject ON outreach_audit (subject_id, at DESC) WHERE subject_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS ix_outreach_audit_actor ON outreach_audit (actor_id, at DESC);
CREATE INDEX IF NOT EXISTS ix_outreach_audit_login ON outreach_audit (lower(actor_login), at DESC);

CREATE OR REPLACE FUNCTION outreach_audit_append_only()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
    RAISE EXCEPTION 'outreach_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$fn$;

DROP TRIGGER IF EXISTS outreach_audit_no_change ON outreach_audit;
CREATE TRIGGER outreach_audit_no_change
    BEFORE UPDATE OR DELETE ON outreach_audit
    FOR EACH ROW EXECUTE FUNCTION outreach_audit_append_only();

DROP TRIGGER IF EXISTS outreach_audit_no_truncate ON outreach_audit;
CREATE TRIGGER outreach_audit_no_truncate
    BEFORE TRUNCATE ON outreach_audit
    FOR EACH STATEMENT EXECUTE FUNCTION outreach_audit_append_only();

-- The family files' own trails (the last 200 changes each, kept in the worker grain's state until now) move
-- here, once: the actor was stored as "name (login)". A change already carried over is not copied again.
INSERT INTO outreach_audit (at, actor_login, actor_name, action, subject_kind, subject_id, detail)
SELECT (c ->> 'At')::timestamptz,
       substring(c ->> 'Actor' FROM '\(([^()]*)\)$'),
       regexp_replace(c ->> 'Actor', '\s*\([^()]*\)$', ''),
       CASE WHEN c ->> 'What' = 'created' THEN 'file.create' ELSE 'file.update' END,
       'file',
       (w.doc -> 'File' ->> 'Id')::uuid,
       c ->> 'What'
FROM (SELECT convert_from(payloadbinary, 'UTF8')::jsonb AS doc
      FROM orleansstorage
      WHERE graintypestring = 'worker' AND payloadbinary IS NOT NULL) AS w
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(w.doc -> 'File' -> 'Changes') = 'array' THEN w.doc -> 'File' -> 'Changes' ELSE '[]'::jsonb END) AS c
WHERE NOT EXISTS (SELECT 1 FROM outreach_audit a
                  WHERE a.subject_id = (w.doc -> 'File' ->> 'Id')::uuid
                    AND a.at = (c ->> 'At')::timestamptz
                    AND a.action IN ('file.create', 'file.update'));
