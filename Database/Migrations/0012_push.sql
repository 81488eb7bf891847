-- Web Push (RFC 8030/8291/8292). The application server's VAPID key pair: one row, made by the first silo that
-- starts (INSERT ... ON CONFLICT DO NOTHING, then read back, so racing silos agree on one pair); not used when the
-- key pair comes from configuration (Push:VapidPublicKey / Push:VapidPrivateKey). Read by the silos only.
CREATE TABLE IF NOT EXISTS outreach_push_keys
(
    id          smallint    PRIMARY KEY CHECK (id = 1),
    public_key  text        NOT NULL,   -- base64url, the uncompressed P-256 point (65 bytes)
    private_key text        NOT NULL,   -- base64url, the P-256 private scalar (32 bytes)
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- A volunteer's browsers (push subscriptions): several per volunteer, one row per endpoint. Owned by the silos'
-- Grains/Reach/PushSubscriptionStore.cs (the web reaches it through the volunteer's devices grain). Removed when the
-- push service answers 404/410, when the page unsubscribes, and when the session that subscribed logs out.
CREATE TABLE IF NOT EXISTS outreach_push_subscriptions
(
    endpoint     text        PRIMARY KEY,  -- the push service's URL for this browser; never logged
    volunteer_id uuid        NOT NULL,
    p256dh       text        NOT NULL,     -- base64url, the browser's P-256 public key
    auth         text        NOT NULL,     -- base64url, the 16-byte authentication secret
    session      text        NULL,         -- the login session that subscribed (removed when it logs out)
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_outreach_push_subscriptions_volunteer ON outreach_push_subscriptions (volunteer_id);
