-- Failed sign-ins, to throttle guessing per account and per client IP (ssr/throttle.rs). Only
-- the window's failures are kept: older rows are pruned whenever a new failure is recorded,
-- and an account's rows go when it signs in successfully.
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    -- Milliseconds since the Unix epoch.
    at_ms BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at_ms);
CREATE INDEX login_failures_ip ON login_failures (client_ip, at_ms);
