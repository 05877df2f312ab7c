-- Pushes can be cancelled (the ATS was disconnected).
ALTER TABLE push_jobs DROP CONSTRAINT push_jobs_state_check;
ALTER TABLE push_jobs ADD CONSTRAINT push_jobs_state_check
    CHECK (state IN ('queued', 'waiting', 'done', 'failed', 'cancelled'));
