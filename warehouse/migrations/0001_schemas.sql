-- The four layers: raw (as received, append-only), staging (typed, cleaned, deduped),
-- marts (the analyst contract), ops (runs, quarantine, cursors, builds, checks).
create schema if not exists raw;
create schema if not exists staging;
create schema if not exists marts;
create schema if not exists ops;

-- Small key/value state, e.g. the data version that API ETags are made from.
create table ops.state (
    key varchar not null,
    value varchar not null,
    updated_at timestamptz not null default now(),
);
insert into ops.state (key, value) values ('data_version', '0');
