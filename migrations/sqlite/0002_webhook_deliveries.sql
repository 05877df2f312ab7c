-- Merge webhook deliveries: who sent what and what we did with it, never the body.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SHA-256 of the signature: identifies a delivery, so repeats are recognised. NULL when rejected.
    signature_hash TEXT UNIQUE,
    tenant_id INTEGER REFERENCES tenants(id),
    linked_account_id TEXT,
    event TEXT NOT NULL,
    -- The id of the marketplace record it concerned (never a foreign record's id).
    model_id TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'rejected', 'ignored')),
    received_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, id);
