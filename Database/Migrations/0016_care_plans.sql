-- Care plans (standing needs): one row per plan, written only by the plan's grain (CarePlanTable.SaveAsync), which
-- guards each write with the version it read. The plan itself is `plan` (JSON: category, schedule, place, notes,
-- preferred helper); `worker_id`, `paused` and `deleted` are columns so a family's plans and the plans that still
-- fire are one indexed read each. A deleted plan keeps its row: its past occurrences (requests carrying its id) and
-- their service records stay as they were.
CREATE TABLE IF NOT EXISTS outreach_care_plans
(
    id         uuid        NOT NULL PRIMARY KEY,
    worker_id  uuid        NOT NULL,
    version    bigint      NOT NULL,
    paused     boolean     NOT NULL,
    deleted    boolean     NOT NULL DEFAULT false,
    plan       jsonb       NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_outreach_care_plans_worker ON outreach_care_plans (worker_id) WHERE NOT deleted;
CREATE INDEX IF NOT EXISTS ix_outreach_care_plans_firing ON outreach_care_plans (id) WHERE NOT deleted AND NOT paused;
