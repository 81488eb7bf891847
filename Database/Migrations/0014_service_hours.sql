-- Service hours (志愿时长): one row per completed service of a request, credited to the volunteer who completed it.
-- Written by the request's grain in the same statement as the completion itself (RequestStore.SaveAsync), so a
-- completion the volunteer was told is stored always has its record. A request reopened after an unsatisfied
-- follow-up and completed again by someone else gets a second row (seq 2): the first helper's time still counts.
-- The grain writes the recorded fields and, after a follow-up, the family's satisfaction; only coordinators
-- write the correction columns (through the web, audited in outreach_audit as service.correct).
CREATE TABLE IF NOT EXISTS outreach_service_records
(
    id                uuid             NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    request_id        uuid             NOT NULL,
    seq               integer          NOT NULL,  -- the request's 1st, 2nd, … completion
    volunteer_id      uuid             NOT NULL,
    volunteer_name    text             NOT NULL,
    station_id        uuid             NULL,      -- the station whose circle holds the family's place
    category          text             NOT NULL,
    opened_at         timestamptz      NOT NULL,  -- when the request was recorded: no service is longer than completed_at - opened_at
    started_at        timestamptz      NOT NULL,  -- en route, or the claim when the volunteer never reported setting off
    completed_at      timestamptz      NOT NULL,
    minutes           double precision NOT NULL,  -- completed_at - started_at, as recorded
    satisfied         boolean          NULL,      -- the follow-up (回访) of this completion; NULL until it is made
    rating            integer          NULL,
    corrected_minutes double precision NULL,      -- a coordinator's correction; the record's time is coalesce(corrected_minutes, minutes)
    correction_reason text             NULL,
    corrected_by      uuid             NULL,
    corrected_by_name text             NULL,
    corrected_at      timestamptz      NULL,
    CONSTRAINT uq_outreach_service_records_request_seq UNIQUE (request_id, seq),
    CONSTRAINT ck_outreach_service_records_corrected CHECK (corrected_minutes IS NULL OR corrected_minutes >= 0)
);

CREATE INDEX IF NOT EXISTS ix_outreach_service_records_volunteer ON outreach_service_records (volunteer_id, completed_at DESC);
CREATE INDEX IF NOT EXISTS ix_outreach_service_records_completed ON outreach_service_records (completed_at DESC);
CREATE INDEX IF NOT EXISTS ix_outreach_service_records_station ON outreach_service_records (station_id, completed_at DESC);

-- Requests completed before this migration: their last completion, from the ledger row and the stored state. Its
-- seq is the number of completions in the request's timeline, as the grain numbers them, so a later completion of
-- the same request never lands on it.
INSERT INTO outreach_service_records
    (request_id, seq, volunteer_id, volunteer_name, station_id, category, opened_at, started_at, completed_at, minutes,
     satisfied, rating)
SELECT r.id,
       greatest(1, (SELECT count(*) FROM json_array_elements(CASE WHEN json_typeof(r.state -> 'Timeline') = 'array'
                                                                   THEN r.state -> 'Timeline' ELSE '[]'::json END) AS e
                    WHERE e ->> 'To' = 'Completed' AND e ->> 'From' IS DISTINCT FROM 'Completed'))::integer,
       r.assigned_volunteer_id,
       coalesce(r.state ->> 'AssignedVolunteerName', ''),
       r.station_id,
       r.category,
       r.created_at,
       coalesce(r.en_route_at, r.claimed_at, r.completed_at),
       r.completed_at,
       extract(epoch FROM r.completed_at - coalesce(r.en_route_at, r.claimed_at, r.completed_at)) / 60,
       r.followup_satisfied,
       r.followup_rating
FROM outreach_requests r
WHERE r.status = 'Completed' AND r.completed_at IS NOT NULL AND r.assigned_volunteer_id IS NOT NULL
ON CONFLICT (request_id, seq) DO NOTHING;

-- Fatigue-aware ranking: each on-duty volunteer's entry in the dispatch index carries the services they completed in
-- the last days (when, how many minutes), kept by their grain, so a cell ranks by recent service in memory, with no
-- query per candidate. Parallel arrays; empty for volunteers who served nobody lately.
ALTER TABLE outreach_dispatch_cell_entries ADD COLUMN IF NOT EXISTS served_at timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE outreach_dispatch_cell_entries ADD COLUMN IF NOT EXISTS served_minutes double precision[] NOT NULL DEFAULT '{}';
