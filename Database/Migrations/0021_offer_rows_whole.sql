-- A volunteer's open offers are read on every (re)connect of their page. The read joined each offer row to its
-- request for the request's category, urgency, place and time, and a plan prepared while the tables were still small
-- (a new database: the city bench, a fresh install) walked every open request through the open-status index instead
-- of the volunteer's few offers — 2.8 ms and ≈ 1,500 pages per read in a 5,000-phone reconnect, until the first
-- ANALYZE. Those columns never change while a request is offered, so the save writes them into the offer's row (from
-- the same parameters as the request's own row) and the read is one range of the primary key: no join, no other plan.
ALTER TABLE outreach_offers
    ADD COLUMN IF NOT EXISTS category text,
    ADD COLUMN IF NOT EXISTS urgency text,
    ADD COLUMN IF NOT EXISTS lat double precision,
    ADD COLUMN IF NOT EXISTS lon double precision,
    ADD COLUMN IF NOT EXISTS created_at timestamptz;

-- The rows are exactly the open offers of offered requests (the save keeps them so); any other row is dropped here
-- rather than shown by the read, which no longer looks at the request.
DELETE FROM outreach_offers o
WHERE NOT EXISTS (SELECT 1 FROM outreach_requests r WHERE r.id = o.request_id AND r.status = 'Offered');

UPDATE outreach_offers o
SET category = r.category, urgency = r.urgency, lat = r.lat, lon = r.lon, created_at = r.created_at
FROM outreach_requests r
WHERE r.id = o.request_id;

ALTER TABLE outreach_offers
    ALTER COLUMN category SET NOT NULL,
    ALTER COLUMN urgency SET NOT NULL,
    ALTER COLUMN lat SET NOT NULL,
    ALTER COLUMN lon SET NOT NULL,
    ALTER COLUMN created_at SET NOT NULL;
