-- The web host's ASP.NET Core data-protection key ring, shared by every web node.
CREATE TABLE IF NOT EXISTS outreach_dataprotection_keys
(
    id            bigserial   PRIMARY KEY,
    friendly_name text        NULL,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
