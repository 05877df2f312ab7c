-- ATS Bridge schema (SQLite). Kept in lockstep with migrations/postgres/0001_initial.sql.

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE logins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id INTEGER REFERENCES tenants(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'support')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    login_id INTEGER NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL UNIQUE REFERENCES tenants(id),
    linked_account_id TEXT NOT NULL,
    account_token_enc TEXT NOT NULL,
    integration_name TEXT NOT NULL,
    integration_slug TEXT NOT NULL,
    status TEXT NOT NULL,
    requires_remote_user_id BOOLEAN NOT NULL,
    verification_admin_id TEXT,
    linked_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE ats_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    access_role TEXT,
    disabled BOOLEAN NOT NULL,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE ats_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    status TEXT,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE ats_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    job_merge_id TEXT,
    name TEXT NOT NULL,
    stage_order BIGINT,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    pages BIGINT NOT NULL,
    users BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    stages BIGINT NOT NULL,
    applications BIGINT NOT NULL,
    error TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, id);

CREATE TABLE candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    phone TEXT,
    headline TEXT NOT NULL,
    location TEXT,
    profile_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE positions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    title TEXT NOT NULL,
    ats_job_merge_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX positions_tenant ON positions (tenant_id, id);

CREATE TABLE interview_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    position_id INTEGER NOT NULL REFERENCES positions(id),
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'declined', 'hired', 'rejected')),
    message TEXT NOT NULL,
    ats_candidate_id TEXT,
    ats_application_id TEXT,
    ats_attachment_id TEXT,
    current_stage_id TEXT,
    current_stage_name TEXT,
    reject_reason TEXT,
    outcome_at TEXT,
    accepted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (position_id, candidate_id)
);
CREATE INDEX interview_requests_tenant ON interview_requests (tenant_id, id);

CREATE TABLE push_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL UNIQUE REFERENCES interview_requests(id),
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'waiting', 'done', 'failed')),
    attempts BIGINT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    last_error TEXT,
    correlation_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX push_jobs_due ON push_jobs (state, next_attempt_at);

CREATE TABLE interviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    request_id INTEGER NOT NULL REFERENCES interview_requests(id),
    merge_id TEXT NOT NULL,
    start_at TEXT,
    end_at TEXT,
    location TEXT,
    status TEXT,
    organizer TEXT,
    interviewers TEXT NOT NULL,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE mailbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TEXT NOT NULL
);
