-- Two indexes every request paid for and no read needs:
-- ix_outreach_requests_open (0006) is ix_outreach_requests_open_page (0015) without its id column, on the same open
-- rows: the queue's newest-first read scans the page index backwards.
-- ix_outreach_offers_request (0009): a save withdraws offers by the primary key (volunteer, request), naming the
-- volunteers, so fifty index entries per request were written for nothing.
DROP INDEX IF EXISTS ix_outreach_requests_open;
DROP INDEX IF EXISTS ix_outreach_offers_request;
