-- The data version (API ETags) as an append-only log: a transaction that changes data appends
-- one row, and the version is the sum of `bumps`. Appends never conflict, while concurrent
-- updates of one ops.state row fail with "Conflict on update" in DuckDB (a webhook batch and a
-- build committing at the same moment). Old rows are folded into one now and then.
create table ops.data_version_log (
    bumps bigint not null,
    logged_at timestamptz not null default now(),
);
insert into ops.data_version_log (bumps)
select cast(value as bigint) from ops.state where key = 'data_version';
