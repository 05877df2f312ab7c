-- Issue 4: what a failed push tells the hiring manager, the verification admin's validity,
-- per-login time zones and the per-tenant stage mapping.

-- The last failure's HTTP status and Merge problem type (the message and correlation id exist).
ALTER TABLE push_jobs ADD COLUMN error_status BIGINT;
ALTER TABLE push_jobs ADD COLUMN error_problem TEXT;

-- Set when the ATS refused a write because of the chosen verification admin; cleared on re-pick.
ALTER TABLE connections ADD COLUMN admin_problem TEXT;

-- IANA zone name (e.g. Africa/Johannesburg); NULL until the first sign-in saves the browser's.
ALTER TABLE logins ADD COLUMN time_zone TEXT;

-- A tenant's own mapping of ATS stage names to marketplace statuses (defaults apply otherwise).
CREATE TABLE stage_mappings (
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    -- The stage name, trimmed and lower-cased: stages with the same name map alike.
    stage_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('in_review', 'interviewing', 'offer', 'hired', 'rejected')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, stage_key)
);

-- Candidates erased on request: proof of the erasure without the personal data.
CREATE TABLE erasures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_public_id TEXT NOT NULL,
    requests_removed BIGINT NOT NULL,
    pushes_cancelled BIGINT NOT NULL,
    erased_at TEXT NOT NULL
);

-- Every stage a marketplace application entered, as sync saw it (keyed by Merge stage id).
CREATE TABLE stage_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id),
    request_id BIGINT NOT NULL REFERENCES interview_requests(id),
    stage_id TEXT NOT NULL,
    stage_name TEXT,
    seen_at TEXT NOT NULL
);
CREATE INDEX stage_history_request ON stage_history (request_id, id);
