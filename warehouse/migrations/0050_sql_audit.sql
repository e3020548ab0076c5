-- Audit log of the SQL sandbox (grain: one query run through POST /api/sql or `parley sql`):
-- who ran what, when, for how long, how many rows came back and how it ended.
create table ops.sql_audit (
    query_id varchar not null,
    actor varchar not null,
    channel varchar not null,
    started_at timestamptz not null,
    elapsed_ms double not null,
    status varchar not null,
    rows_returned bigint,
    is_truncated boolean,
    error_code varchar,
    sql_text varchar not null,
);
