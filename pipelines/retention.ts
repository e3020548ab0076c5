import type { Warehouse } from '../warehouse/db.ts';
import { bumpDataVersion } from '../warehouse/data-version.ts';
import { forgetModelInputs } from '../warehouse/model-inputs.ts';

/** The oldest chat history Parley may purge: DESIGN keeps at least this many days. */
export const MIN_RETENTION_DAYS = 180;

/**
 * Chat history tables and the time each row is about. A raw webhook payload is as old as
 * the newest message or status time inside it (received_at is when it was loaded, which
 * for a backfill is much later). Other chat sources add their raw and staging tables here.
 * CRM records are not chat history and are kept: older versions are the deals' stage history.
 */
export const RETENTION_TABLES: readonly { readonly table: string; readonly at: string }[] = [
  {
    table: 'raw.whatsapp_payloads',
    at: `coalesce(to_timestamp(list_max(list_transform(regexp_extract_all(payload::varchar, '"timestamp":\\s*"?(\\d{9,11})', 1), x -> cast(x as bigint)))), received_at)`,
  },
  { table: 'raw.scrm_events', at: 'event_at' },
  { table: 'staging.stg_whatsapp_messages', at: 'sent_at' },
  { table: 'staging.stg_whatsapp_statuses', at: 'status_at' },
  { table: 'staging.stg_scrm_events', at: 'event_at' },
  { table: 'raw.whatsapp_export_messages', at: 'sent_at' },
  { table: 'staging.stg_export_messages', at: 'sent_at' },
  // incremental models keep rows their inputs lost: purge them too (text facts before the messages they are about)
  { table: 'staging.int_message_text', at: `(select m.sent_at from staging.stg_messages as m where m.message_id = int_message_text.message_id)` },
  { table: 'staging.stg_messages', at: 'sent_at' },
  { table: 'staging.stg_conversation_events', at: 'event_at' },
  { table: 'marts.fct_messages', at: 'sent_at' },
  { table: 'marts.fct_responses', at: 'last_inbound_at' },
  { table: 'marts.fct_outbound_messages', at: 'sent_at' },
  { table: 'ops.quarantine', at: 'quarantined_at' },
];

/**
 * Deletes chat history older than `days` before `now` from raw and staging (and quarantined
 * records), when PARLEY_RETENTION_DAYS is set. Tables that do not exist yet are skipped.
 * Returns rows deleted per table. Table models rebuilt from raw lose the rows at the next build.
 */
export async function purgeExpired(wh: Warehouse, opts: { days?: number; now?: Date } = {}): Promise<Record<string, number>> {
  const days = opts.days ?? wh.config.retentionDays;
  if (days === undefined) return {};
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) throw new RangeError(`retention of ${days} days refused: chat history is kept at least ${MIN_RETENTION_DAYS} days`);
  const cutoff = new Date((opts.now ?? new Date()).getTime() - days * 86_400_000);
  return wh.locks.run('build', () =>
    wh.transaction(async (conn) => {
      const existing = new Set(
        ((await conn.runAndReadAll(`select schema_name || '.' || table_name as t from duckdb_tables() where not internal`)).getRowObjectsJS()).map((r) => String(r.t)),
      );
      const deleted: Record<string, number> = {};
      for (const { table, at } of RETENTION_TABLES) {
        if (!existing.has(table)) continue;
        const result = await conn.run(`delete from ${table} where ${at} < $1::timestamptz`, [cutoff.toISOString()]);
        if (result.rowsChanged > 0) deleted[table] = result.rowsChanged;
      }
      if (Object.keys(deleted).length > 0) {
        await forgetModelInputs(conn);
        await bumpDataVersion(conn);
      }
      return deleted;
    }),
  );
}
