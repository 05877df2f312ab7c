-- Invitations and password resets (ssr/onboarding.rs): the e-mailed link is signed and expires,
-- and names a row here, which it can use once.
CREATE TABLE login_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    -- Invitations: the company and the role the new login gets.
    tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE,
    role TEXT CHECK (role IN ('admin', 'member')),
    -- Resets: the login whose password is set.
    login_id INTEGER REFERENCES logins(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_by INTEGER REFERENCES logins(id) ON DELETE SET NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);

-- Clients of the marketplace JSON API (ssr/api_clients.rs): bearer tokens kept only as SHA-256
-- hashes; a client limited to one company sees only that company's requests.
CREATE TABLE api_clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    tenant_id INTEGER REFERENCES tenants(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
