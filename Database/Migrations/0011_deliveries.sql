-- The delivery record: for each offer and each notice of a request, which channel was tried and what it answered
-- (the live page sent/seen, a push accepted/gone, a robot accepted/failed, an SMS accepted/failed). Written by the
-- silos' reach grains (Grains/Reach/DeliveryLog.cs); read by coordinators (a request's timeline, the figures'
-- "offers that reached no device"). No phone, address or URL is ever in it: detail names the answer only.
CREATE TABLE IF NOT EXISTS outreach_deliveries
(
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    request_id   uuid        NOT NULL,
    volunteer_id uuid        NULL,      -- the volunteer reached; NULL for the family and a station's group
    event        text        NOT NULL,  -- offer, withdrawn, claimed, onSite, completed
    channel      text        NOT NULL,  -- socket, push, robot, sms
    outcome      text        NOT NULL,  -- sent, seen, accepted, gone, failed
    detail       text        NULL
);

CREATE INDEX IF NOT EXISTS ix_outreach_deliveries_request ON outreach_deliveries (request_id, id);
CREATE INDEX IF NOT EXISTS ix_outreach_deliveries_offers ON outreach_deliveries (at) WHERE event = 'offer';
