-- A help request's whole state lives in its ledger row (outreach_requests.state), so one statement stores the
-- grain's state, the ledger's columns and the volunteers' open offers together: a request the hotline was told
-- is recorded is in every one of them, or in none. state_etag guards against a second (stale) activation
-- writing over a newer state. Rows written before this migration have no state; their grain state is read
-- once from Orleans' table (state name "helpRequest") and moves here on its next change.
ALTER TABLE outreach_requests ADD COLUMN IF NOT EXISTS state json NULL;
ALTER TABLE outreach_requests ADD COLUMN IF NOT EXISTS state_etag bigint NULL;

-- The offers open to each volunteer: one row per (volunteer, request) while the request waits for a claim,
-- written in the same statement as the request's state. A volunteer's page reads its offers from here by
-- volunteer id instead of asking every open request.
CREATE TABLE IF NOT EXISTS outreach_offers
(
    volunteer_id uuid             NOT NULL,
    request_id   uuid             NOT NULL,
    eta_minutes  double precision NOT NULL,
    distance_m   double precision NOT NULL,
    offered_at   timestamptz      NOT NULL,
    PRIMARY KEY (volunteer_id, request_id)
);

CREATE INDEX IF NOT EXISTS ix_outreach_offers_request ON outreach_offers (request_id);
