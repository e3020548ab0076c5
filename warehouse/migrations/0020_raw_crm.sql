-- Raw layer of the CRM sources (crm-api, crm-csv): each record as received (payload) next to
-- the fields the column mapping made of it. Append-only: a record pulled or exported again
-- lands again; staging keeps the latest version of each (vendor, record_id) and the history
-- of deal stages from every version seen.

-- One CRM contact version per row.
create table raw.crm_contacts (
    load_id bigint not null,
    source varchar not null,            -- crm-api | crm-csv
    vendor varchar not null,            -- hubspot | salesforce | zoho (the mapping profile's vendor)
    location varchar not null,          -- file path or API URL it came from
    line_no bigint,                     -- first line of the record in a CSV file
    record_id varchar not null,
    modified_at timestamptz,
    created_at timestamptz,
    phone_raw varchar,
    phone_e164 varchar,
    name varchar,
    email varchar,
    tier varchar,
    country varchar,
    city varchar,
    address varchar,
    postal_code varchar,
    defaulted_fields varchar,           -- mapped fields that were empty and got the configured default, comma-separated
    payload json not null,
);

-- One CRM deal (opportunity, order) version per row.
create table raw.crm_deals (
    load_id bigint not null,
    source varchar not null,
    vendor varchar not null,
    location varchar not null,
    line_no bigint,
    record_id varchar not null,
    contact_record_id varchar,
    phone_e164 varchar,
    deal_name varchar,
    modified_at timestamptz,
    created_at timestamptz,
    closed_at timestamptz,
    stage_raw varchar,
    stage varchar,                      -- quoted | ordered | paid | lost (null when the raw stage is not mapped)
    amount double,
    currency varchar,
    product_name varchar,
    sku_raw varchar,                    -- a SKU or product code the record carried itself
    quantity integer,
    payment_method_raw varchar,
    payment_method varchar,             -- cod | card | transfer (null when not mapped)
    quoted_at timestamptz,              -- when the record says each stage was entered, if it says
    ordered_at timestamptz,
    paid_at timestamptz,
    lost_at timestamptz,
    defaulted_fields varchar,
    payload json not null,
);

-- One stage change of a deal per row (Salesforce opportunity history, Zoho stage history).
create table raw.crm_deal_stage_changes (
    load_id bigint not null,
    source varchar not null,
    vendor varchar not null,
    location varchar not null,
    line_no bigint,
    deal_record_id varchar not null,
    stage_raw varchar,
    stage varchar,
    changed_at timestamptz not null,
    amount double,
    payload json not null,
);
