-- The request ledger: one row per help request, rewritten by its grain on every transition, so lists and the
-- coordinator's figures are SQL over recorded data. Only non-personal fields are kept here: no address, no
-- phone number, no description (those stay in the grain's state).
CREATE TABLE IF NOT EXISTS outreach_requests
(
    id                    uuid             PRIMARY KEY,
    version               integer          NOT NULL,
    status                text             NOT NULL,
    escalated             boolean          NOT NULL,
    category              text             NOT NULL,
    urgency               text             NOT NULL,
    lat                   double precision NOT NULL,
    lon                   double precision NOT NULL,
    station_id            uuid             NULL,
    worker_id             uuid             NULL,
    created_by            uuid             NOT NULL,
    assigned_volunteer_id uuid             NULL,
    offered_count         integer          NOT NULL,
    circle_minutes        double precision NOT NULL,
    created_at            timestamptz      NOT NULL,
    claimed_at            timestamptz      NULL,
    en_route_at           timestamptz      NULL,
    on_site_at            timestamptz      NULL,
    completed_at          timestamptz      NULL,
    closed_at             timestamptz      NULL,
    deadline_at           timestamptz      NULL,
    followup_satisfied    boolean          NULL,
    followup_rating       integer          NULL,
    recorded_at           timestamptz      NOT NULL DEFAULT now()
);

-- Figures and lists by creation time ("today", "since").
CREATE INDEX IF NOT EXISTS ix_outreach_requests_created_at
    ON outreach_requests (created_at DESC);

-- The open queue: small, read often.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_open
    ON outreach_requests (created_at DESC)
    WHERE status IN ('Offered', 'Claimed', 'EnRoute', 'OnSite');

-- Lists per station.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_station
    ON outreach_requests (station_id, created_at DESC);

-- Completions per hour for the last day's chart.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_completed_at
    ON outreach_requests (completed_at)
    WHERE completed_at IS NOT NULL;
