-- A request's deadline (claim, or setting off) is found where it is stored, in its own row, by each silo's deadline
-- sweeper, instead of an Orleans reminder per open request (one more row written and moved on every request): the
-- deadline is written in the same statement as the state, so the two can never disagree. Only open requests are
-- indexed, so closed ones cost the sweep nothing however many there are.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_deadline
    ON outreach_requests (deadline_at)
    WHERE status IN ('Offered', 'Claimed', 'EnRoute', 'OnSite');
