-- The audit log: who did what, when, in which tenant (ssr/audit.rs). Details hold ids and names
-- of ATS records and positions, never a candidate's personal data.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE,
    -- The signed-in person who acted; NULL for the system (workers) and the marketplace API.
    login_id INTEGER REFERENCES logins(id) ON DELETE SET NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);
