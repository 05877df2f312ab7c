-- Incremental sync: per tenant and model (users, jobs, stages), when the last completed pull of
-- it started. The next pull asks Merge only for records modified after that (minus a margin).
CREATE TABLE sync_watermarks (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    model TEXT NOT NULL,
    pulled_from TEXT NOT NULL,
    PRIMARY KEY (tenant_id, model)
);
-- When the last full pass (the only kind that may mark records deleted) completed; NULL makes
-- the next sync a full pass.
ALTER TABLE sync_jobs ADD COLUMN last_full_at TEXT;
