-- Invitations and password resets (ssr/onboarding.rs): the e-mailed link is signed and expires,
-- and names a row here, which it can use once.
CREATE TABLE login_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    -- Invitations: the company and the role the new login gets.
    tenant_id BIGINT REFERENCES tenants(id) ON DELETE CASCADE,
    role TEXT CHECK (role IN ('admin', 'member')),
    -- Resets: the login whose password is set.
    login_id BIGINT REFERENCES logins(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_by BIGINT REFERENCES logins(id) ON DELETE SET NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);

-- Clients of the marketplace JSON API (ssr/api_clients.rs): bearer tokens kept only as SHA-256
-- hashes; a client limited to one company sees only that company's requests.
CREATE TABLE api_clients (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    tenant_id BIGINT REFERENCES tenants(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
