-- One Merge request budget per linked account (tenant), shared by every server process and by
-- reads and writes alike: the calls made in the current rate-limit window. A call may go out
-- only while fewer than the plan's limit were made in the window (see ssr/rate_budget.rs).
CREATE TABLE rate_budgets (
    tenant_id BIGINT PRIMARY KEY
);
CREATE TABLE merge_calls (
    tenant_id BIGINT NOT NULL,
    -- When the call was let out, in milliseconds since the Unix epoch.
    at_ms BIGINT NOT NULL
);
CREATE INDEX merge_calls_tenant_at ON merge_calls (tenant_id, at_ms);
