-- One row for an offer handed to the live pages of many volunteers at once (a round: up to fifty), instead of one row
-- per volunteer: volunteer_ids lists them and volunteer_id is NULL. Reads expand the row to one record per volunteer,
-- in the listed order (DeliveryTable). Every other row names at most one volunteer, as before.
ALTER TABLE outreach_deliveries ADD COLUMN IF NOT EXISTS volunteer_ids uuid[] NULL;
