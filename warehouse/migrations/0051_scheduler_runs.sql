-- What the scheduler did (grain: one job execution or one skipped tick). status: success,
-- failed (retried with backoff while attempts remain) or skipped (the job was still running).
create table ops.scheduler_runs (
    job varchar not null,
    trigger varchar not null,
    attempt integer not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,
    error varchar,
    details json,
);
