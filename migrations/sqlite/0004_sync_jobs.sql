-- One sync schedule per connected tenant, leased by one worker at a time across every server
-- process (PostgreSQL: FOR UPDATE SKIP LOCKED; a killed process's lease lapses).
CREATE TABLE sync_jobs (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id),
    -- When the next sync is due (periodic, or now when someone asked).
    next_run_at TEXT NOT NULL,
    -- The last time someone (Sync now, a webhook, a new connection) asked for a sync; one asked
    -- for while a sync runs makes another follow it.
    requested_at TEXT,
    lease_until TEXT,
    -- The worker (process) holding the lease.
    lease_owner TEXT,
    started_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX sync_jobs_due ON sync_jobs (next_run_at);
