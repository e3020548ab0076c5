-- Model builds: one row per build and one per model in it; incremental state per model.
create sequence ops.build_id_seq start 1;

create table ops.builds (
    build_id bigint not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    is_full boolean not null,
    status varchar not null,
    models_ok integer not null default 0,
    models_failed integer not null default 0,
    models_skipped integer not null default 0,
    error varchar,
);

create table ops.model_runs (
    build_id bigint not null,
    model varchar not null,
    status varchar not null,
    strategy varchar not null,
    rows bigint,
    elapsed_ms double,
    error varchar,
);

-- The highest load_id an incremental model has consumed (grain: model).
create table ops.model_state (
    model varchar not null,
    last_load_id bigint not null,
    built_at timestamptz not null,
);
