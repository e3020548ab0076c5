-- The SQL an incremental model last merged with (a SHA-256 of its rendered SQL): a model
-- whose SQL or {{variables}} changed since (the time zone, the rate card...) is rebuilt
-- whole, as merging only new rows would leave the older rows computed the old way.
-- Rows from before this column have no hash, so those models are rebuilt whole once.
alter table ops.model_state add column sql_hash varchar;
