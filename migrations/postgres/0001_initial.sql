-- ATS Bridge schema (PostgreSQL). Kept in lockstep with migrations/sqlite/0001_initial.sql.

CREATE TABLE tenants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE logins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id BIGINT REFERENCES tenants(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'support')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    login_id BIGINT NOT NULL REFERENCES logins(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE connections (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id BIGINT NOT NULL UNIQUE REFERENCES tenants(id),
    linked_account_id TEXT NOT NULL,
    account_token_enc TEXT NOT NULL,
    integration_name TEXT NOT NULL,
    integration_slug TEXT NOT NULL,
    status TEXT NOT NULL,
    requires_remote_user_id BOOLEAN NOT NULL,
    verification_admin_id TEXT,
    linked_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE ats_users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    access_role TEXT,
    disabled BOOLEAN NOT NULL,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE ats_jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    status TEXT,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE ats_stages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    merge_id TEXT NOT NULL,
    job_merge_id TEXT,
    name TEXT NOT NULL,
    stage_order BIGINT,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE sync_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    pages BIGINT NOT NULL,
    users BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    stages BIGINT NOT NULL,
    applications BIGINT NOT NULL,
    error TEXT,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX sync_runs_tenant ON sync_runs (tenant_id, id);

CREATE TABLE candidates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    phone TEXT,
    headline TEXT NOT NULL,
    location TEXT,
    profile_json TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE positions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    title TEXT NOT NULL,
    ats_job_merge_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX positions_tenant ON positions (tenant_id, id);

CREATE TABLE interview_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    position_id BIGINT NOT NULL REFERENCES positions(id),
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    state TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'declined', 'hired', 'rejected')),
    message TEXT NOT NULL,
    ats_candidate_id TEXT,
    ats_application_id TEXT,
    ats_attachment_id TEXT,
    current_stage_id TEXT,
    current_stage_name TEXT,
    reject_reason TEXT,
    outcome_at TIMESTAMPTZ,
    accepted_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (position_id, candidate_id)
);
CREATE INDEX interview_requests_tenant ON interview_requests (tenant_id, id);

CREATE TABLE push_jobs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL UNIQUE REFERENCES interview_requests(id),
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    state TEXT NOT NULL CHECK (state IN ('queued', 'waiting', 'done', 'failed')),
    attempts BIGINT NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_until TIMESTAMPTZ,
    last_error TEXT,
    correlation_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX push_jobs_due ON push_jobs (state, next_attempt_at);

CREATE TABLE interviews (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    request_id BIGINT NOT NULL REFERENCES interview_requests(id),
    merge_id TEXT NOT NULL,
    start_at TIMESTAMPTZ,
    end_at TIMESTAMPTZ,
    location TEXT,
    status TEXT,
    organizer TEXT,
    interviewers TEXT NOT NULL,
    remote_was_deleted BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (tenant_id, merge_id)
);

CREATE TABLE mailbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
