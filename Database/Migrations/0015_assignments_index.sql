-- A volunteer's current jobs, read from the request's own row (written in the same statement as its state, so a
-- claim that was acknowledged is listed here even if the silo died before the volunteer grain heard of it): the
-- volunteer page's reconnect reads them by volunteer id instead of asking every open request.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_assigned_open
    ON outreach_requests (assigned_volunteer_id)
    WHERE status IN ('Claimed', 'EnRoute', 'OnSite');

-- The open requests in the order the map and the queue page through them (created_at, id), so no page is cut.
CREATE INDEX IF NOT EXISTS ix_outreach_requests_open_page
    ON outreach_requests (created_at, id)
    WHERE status IN ('Offered', 'Claimed', 'EnRoute', 'OnSite');
