-- Identity resolution, review, erasure and data-quality records (DESIGN section 5).

-- Customers merged because they are the same person under different numbers
-- (grain: merged pair). Written by the build from staging.int_customer_merges; a merge
-- that a later build no longer makes gets undone_at.
create table ops.customer_merges (
    merge_id varchar not null,          -- md5 of the two phone numbers
    customer_id varchar not null,       -- the customer both numbers belong to
    phone_e164 varchar not null,        -- the number kept (the customer's first number)
    merged_phone_e164 varchar not null, -- the number merged into it
    name varchar,
    merged_name varchar,
    name_similarity double not null,    -- normalised Levenshtein of the names, 0..1
    jaro_winkler double,                -- recorded as evidence only
    sku varchar not null,               -- the SKU both bought
    bought_at timestamptz,
    merged_bought_at timestamptz,
    days_apart double not null,
    evidence json not null,
    first_build_id bigint,
    recorded_at timestamptz not null,
    undone_at timestamptz,
);

-- What a person should look at (grain: review item). kind conflict: sources disagree about
-- a customer's field (customer x field x losing value); the chosen value is the latest by
-- millisecond timestamp, the other is kept here. kind possible_duplicate: two numbers that
-- match the duplicate rule but were not merged (chosen_value/other_value are the numbers,
-- details says why). Rows a later build no longer sees get status cleared.
create table ops.review_queue (
    review_id varchar not null,
    kind varchar not null,              -- conflict | possible_duplicate
    customer_id varchar not null,
    field varchar not null,             -- name | tier | email | country | identity
    chosen_value varchar,
    chosen_source varchar,
    chosen_at timestamptz,
    other_value varchar,
    other_source varchar,
    other_at timestamptz,
    details varchar,                    -- JSON evidence
    status varchar not null,            -- open | cleared
    first_build_id bigint,
    created_at timestamptz not null,
    cleared_at timestamptz,
);

-- That an erasure happened, never who (grain: erasure).
create table ops.erasures (
    erasure_id varchar not null,
    erased_at timestamptz not null,
    phone_numbers integer not null,     -- how many numbers the person had
    rows_deleted bigint not null,
    rows_rewritten bigint not null,
    tables json not null,               -- table -> rows removed or rewritten
);

-- Results of data-quality checks (grain: check run). Shared with the service models,
-- which may create the same table: both definitions agree.
create table if not exists ops.dq_results (
    run_at timestamptz not null,
    build_id bigint,
    check_name varchar not null,
    level varchar not null,             -- warn | error
    status varchar not null,            -- pass | warn | fail
    observed double,
    threshold double,
    details varchar,
);

-- Hourly timings of each CRM API URL (grain: probe of one URL), written by the crm-api
-- source; after 3 consecutive slow or failed probes the pull uses the next URL.
create table ops.crm_api_probes (
    load_id bigint not null,
    probed_at timestamptz not null,
    url varchar not null,
    elapsed_ms double,
    is_ok boolean not null,
    is_slow boolean not null,
    http_status integer,
    error varchar,
);
