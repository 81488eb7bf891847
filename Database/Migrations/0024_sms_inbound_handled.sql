-- SMS replies handled once even when a write after the claim fails (issue #13's inbound path, found in review): the
-- message's id was recorded before its handling and deleted again if handling failed; with the database away that
-- delete failed too, and the provider's redelivery was taken for a duplicate — the volunteer's claim was never made.
-- Now a message's row says when its handling finished (handled_at); one not finished is taken up again by a
-- redelivery once its lease has lapsed. And a code remembers the message that used it (used_by), so a redelivery of
-- that message takes it again instead of hearing "invalid code" when the code's release failed.
ALTER TABLE outreach_sms_inbound ADD COLUMN IF NOT EXISTS handled_at timestamptz NULL;
UPDATE outreach_sms_inbound SET handled_at = received_at WHERE handled_at IS NULL;

ALTER TABLE outreach_sms_codes ADD COLUMN IF NOT EXISTS used_by text NULL;
CREATE INDEX IF NOT EXISTS ix_outreach_sms_codes_used_by ON outreach_sms_codes (used_by) WHERE used_by IS NOT NULL;
