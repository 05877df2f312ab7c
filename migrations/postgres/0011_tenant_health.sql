-- Tenant health (ssr/health.rs): what support and the tenant see, kept with hysteresis. `health`
-- is what is shown; `observed` is the latest evaluation, which replaces it once it has held.
CREATE TABLE tenant_health (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    health TEXT NOT NULL,
    -- What to do about it, one line per problem (empty when healthy).
    reason TEXT NOT NULL,
    since TIMESTAMPTZ NOT NULL,
    observed TEXT NOT NULL,
    observed_since TIMESTAMPTZ NOT NULL,
    integration TEXT,
    last_success_at TIMESTAMPTZ,
    pending_pushes BIGINT NOT NULL,
    failed_pushes BIGINT NOT NULL,
    problems BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX tenant_health_health ON tenant_health (health);
CREATE INDEX push_jobs_tenant_state ON push_jobs (tenant_id, state);
CREATE INDEX tenants_name ON tenants (name);
