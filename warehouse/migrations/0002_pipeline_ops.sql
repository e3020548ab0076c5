-- Run log, loads, cursors and quarantine: owned by the pipeline loader.
create sequence ops.run_id_seq start 1;
create sequence ops.load_id_seq start 1;

-- One row per pipeline run (grain: run). status: running, success, failed, interrupted.
create table ops.pipeline_runs (
    run_id bigint not null,
    source varchar not null,
    trigger varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    status varchar not null,
    rows_read bigint not null default 0,
    rows_loaded bigint not null default 0,
    rows_quarantined bigint not null default 0,
    batches integer not null default 0,
    error varchar,
    details json,
);

-- One row per committed batch (grain: load); every raw row carries its load_id.
create table ops.loads (
    load_id bigint not null,
    run_id bigint not null,
    source varchar not null,
    loaded_at timestamptz not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
);

-- Where each source stopped (grain: source x cursor_key), written in the batch's transaction.
create table ops.cursors (
    source varchar not null,
    cursor_key varchar not null,
    cursor_value varchar not null,
    updated_at timestamptz not null,
);

-- Records that could not be loaded (grain: bad record), with where they came from and why.
create table ops.quarantine (
    run_id bigint not null,
    load_id bigint not null,
    source varchar not null,
    location varchar not null,
    line_no bigint,
    record_id varchar,
    reason varchar not null,
    raw_text varchar,
    quarantined_at timestamptz not null,
);
