-- The positions page's job picker reads the first matches in this order; with the index it
-- stops after a page instead of sorting every job of a large tenant on each request.
CREATE INDEX ats_jobs_picker ON ats_jobs (tenant_id, remote_was_deleted, name, merge_id);
