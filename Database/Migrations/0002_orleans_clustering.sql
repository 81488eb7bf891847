-- Orleans AdoNet clustering: one version row per deployment (ClusterOptions.ClusterId) and one row per silo.
-- The version is the table's ETag: every successful insert or update of a member adds 1 to it, guarded by
-- the version the runtime last read. It is int4 and only ever goes up (an overflow raises, never wraps).

CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid text        NOT NULL PRIMARY KEY,
    lastupdated  timestamptz NOT NULL DEFAULT now(),
    version      int4        NOT NULL DEFAULT 0 CHECK (version >= 0)
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid text        NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      text        NOT NULL,
    port         int4        NOT NULL,
    generation   int4        NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       int4        NOT NULL,
    proxyport    int4        NULL,
    suspecttimes text        NULL,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*)::int4 AS inserted FROM created;
$q$),

('MembershipReadAllKey', $q$
SELECT v.version        AS Version,
       m.deploymentid   AS DeploymentId,
       m.address        AS Address,
       m.port           AS Port,
       m.generation     AS Generation,
       m.siloname       AS SiloName,
       m.hostname       AS HostName,
       m.status         AS Status,
       m.proxyport      AS ProxyPort,
       m.suspecttimes   AS SuspectTimes,
       m.starttime      AS StartTime,
       m.iamalivetime   AS IAmAliveTime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;
$q$),

('MembershipReadRowKey', $q$
SELECT v.version        AS Version,
       m.deploymentid   AS DeploymentId,
       m.address        AS Address,
       m.port           AS Port,
       m.generation     AS Generation,
       m.siloname       AS SiloName,
       m.hostname       AS HostName,
       m.status         AS Status,
       m.proxyport      AS ProxyPort,
       m.suspecttimes   AS SuspectTimes,
       m.starttime      AS StartTime,
       m.iamalivetime   AS IAmAliveTime
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;
$q$),

-- Insert the silo and bump the version in one statement: the UPDATE locks the version row, so of two
-- writers holding the same version only one passes; the loser gets 0 rows and so answers false.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, lastupdated = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleansmembershiptable
                      WHERE deploymentid = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING deploymentid
), inserted AS (
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*)::int4 AS inserted FROM inserted;
$q$),

('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, lastupdated = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND EXISTS (SELECT 1 FROM orleansmembershiptable
                  WHERE deploymentid = @DeploymentId AND address = @Address
                    AND port = @Port AND generation = @Generation)
    RETURNING deploymentid
), updated AS (
    UPDATE orleansmembershiptable m
    SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
    FROM bumped
    WHERE m.deploymentid = bumped.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT count(*)::int4 AS updated FROM updated;
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$),

('GatewaysQueryKey', $q$
SELECT address AS Address, proxyport AS ProxyPort, generation AS Generation
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
$q$),

-- Status 6 is Dead.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = 6 AND iamalivetime < @IAmAliveTime;
$q$),

('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND starttime = @StartTime AND iamalivetime = @IAmAliveTime
  AND suspecttimes IS NOT DISTINCT FROM CAST(@SuspectTimes AS text);
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
