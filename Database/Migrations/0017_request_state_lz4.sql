-- A request's state is rewritten on every change and, while it is offered, holds its fifty offers (≈ 10 KB of JSON,
-- compressed out of line). LZ4 compresses it in less than half the time of the default (pglz) for about the same
-- size: measured on PostgreSQL 15, a 9.6 KB state, 20,000 inserts: 87 µs → 39 µs each, 3,333 → 3,433 bytes stored.
-- Values already stored stay as they are until their next write. A server built without LZ4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE outreach_requests ALTER COLUMN state SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported OR invalid_parameter_value THEN
        RAISE NOTICE 'LZ4 is not available: outreach_requests.state keeps the default compression';
END
$$;
