-- Data-quality results: one row per check per build (grain: build x check_name).
-- level: warn or error (what a failure means); status: pass, warn, fail or skipped.
-- A row with status 'fail' failed its build, which was rolled back.
create table if not exists ops.dq_results (
    run_at timestamptz,
    build_id bigint,
    check_name varchar,
    level varchar,
    status varchar,
    observed double,
    threshold double,
    details varchar,
);
