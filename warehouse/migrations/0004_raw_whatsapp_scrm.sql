-- Raw layer of the WhatsApp Cloud and SCRM sources: each record as received, with
-- where it came from and the load that brought it. Append-only; staging parses it.

-- One Meta webhook payload per row (a line of landing/whatsapp/*.ndjson or a POST to /webhooks/whatsapp).
create table raw.whatsapp_payloads (
    load_id bigint not null,
    source_file varchar not null,
    line_no bigint,
    received_at timestamptz not null,
    payload json not null,
);

-- One SCRM event per row (a line of landing/scrm/*.ndjson). customer_e164 is the event's
-- customer phone normalised at load (null when the event has none).
create table raw.scrm_events (
    load_id bigint not null,
    source_file varchar not null,
    line_no bigint not null,
    event_type varchar not null,
    event_at timestamptz not null,
    customer_e164 varchar,
    payload json not null,
);
