-- Pushes can be cancelled (the ATS was disconnected). SQLite cannot change a CHECK constraint,
-- so the table is rebuilt with the same columns.
CREATE TABLE push_jobs_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL UNIQUE REFERENCES interview_requests(id),
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'waiting', 'done', 'failed', 'cancelled')),
    attempts BIGINT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    correlation_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    error_status BIGINT,
    error_problem TEXT
);
INSERT INTO push_jobs_new (id, request_id, tenant_id, state, attempts, next_attempt_at, lease_until,
    last_error, correlation_id, created_at, updated_at, error_status, error_problem)
SELECT id, request_id, tenant_id, state, attempts, next_attempt_at, lease_until,
    last_error, correlation_id, created_at, updated_at, error_status, error_problem FROM push_jobs;
DROP TABLE push_jobs;
ALTER TABLE push_jobs_new RENAME TO push_jobs;
CREATE INDEX push_jobs_due ON push_jobs (state, next_attempt_at);
