-- SMS replies as the provider delivered them (issue #13's inbound callback): the provider's id of each message taken,
-- so a batch the provider sends again (its callback answered 503 part-way) does not handle its first messages twice —
-- their codes are used by then, and the volunteer would be told their code is invalid after their claim won. A message
-- whose handling failed is forgotten again, so its redelivery is handled. No number, no text: the id and when.
CREATE TABLE IF NOT EXISTS outreach_sms_inbound
(
    provider_id text        PRIMARY KEY,
    received_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_outreach_sms_inbound_received ON outreach_sms_inbound (received_at);
