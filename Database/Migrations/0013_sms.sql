-- SMS (issue #13): the family's status links and the volunteers' reply codes. Written by the silos
-- (Grains/Sms/StatusLinks.cs, ReplyCodes.cs); status links are read by the web nodes (Web/Status).
-- Neither table holds a phone number, an address or a usable token.

-- A status link /s/{token}: only the SHA-256 of the token is kept, with the request it shows. It stops working 24 h
-- (Status:ExpireAfterClose) after its request closes; that is decided when it is read, from the request.
CREATE TABLE IF NOT EXISTS outreach_status_links
(
    token_hash bytea       PRIMARY KEY,
    request_id uuid        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_outreach_status_links_request ON outreach_status_links (request_id);

-- A reply code sent with an SMS offer: the keyed hash of the volunteer's number (as the phone index keys it), the code,
-- what it claims, until when; used_at is set by the one reply that takes it.
CREATE TABLE IF NOT EXISTS outreach_sms_codes
(
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone_key    text        NOT NULL,
    code         text        NOT NULL,
    request_id   uuid        NOT NULL,
    volunteer_id uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz NULL
);

-- Open codes are unique per number; a reply is looked up by (number, code).
CREATE UNIQUE INDEX IF NOT EXISTS ux_outreach_sms_codes_open ON outreach_sms_codes (phone_key, code) WHERE used_at IS NULL;
CREATE INDEX IF NOT EXISTS ix_outreach_sms_codes_request ON outreach_sms_codes (request_id);
