-- The dispatch index: one row per on-duty volunteer, in the cell (grain key geo/{row}/{col}) that holds them.
-- A cell grain reads its rows when it activates and writes only the rows that changed, so a volunteer going on
-- duty costs one row however many share the cell (the cell's whole state was one blob before, rewritten on
-- every join). Positions are as last written: moves inside a cell stay in memory, and the freshness rule
-- (Dispatch:PositionMaxAge) drops an entry whose position is too old.
CREATE TABLE IF NOT EXISTS outreach_dispatch_cell_entries
(
    cell         text             NOT NULL,
    volunteer_id uuid             NOT NULL,
    name         text             NOT NULL,
    lat          double precision NOT NULL,
    lon          double precision NOT NULL,
    position_at  timestamptz      NOT NULL,
    skills       text[]           NOT NULL,
    travel_mode  text             NOT NULL,
    capacity     integer          NOT NULL,
    load         integer          NOT NULL,
    written_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (cell, volunteer_id)
);

-- The entries of the old blob state (orleansstorage, state name "dispatchCell") are not carried over: on-duty
-- volunteers' pages report their position at least once a minute, which lists them again.
