-- What each model read at its last build (grain: model): a fingerprint of its rendered SQL
-- and of every input's version, and the version of the table it wrote. A build skips a
-- model whose fingerprint is unchanged (warehouse/model-inputs.ts).
create table ops.model_inputs (
    model varchar not null,
    fingerprint varchar not null,
    output_version varchar not null,
    build_id bigint not null,
    built_at timestamptz not null,
);
