-- Webhook bodies already stored (grain: distinct raw body). Meta retries a delivery with the
-- same bytes; the receiver stores a body only when its hash is new here, in the same
-- transaction as its raw row.
create table ops.webhook_receipts (
    body_sha256 varchar primary key,
    received_at timestamptz not null,
    load_id bigint not null,
);
