import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { bumpDataVersion } from '../../warehouse/data-version.ts';
import { forgetModelInputs } from '../../warehouse/model-inputs.ts';
import { queryOn, runOn, type Warehouse } from '../../warehouse/db.ts';
import { ident } from '../../warehouse/values.ts';
import { PipelineError } from '../errors.ts';
import { toE164 } from '../phones.ts';
import { findPerson, phoneTerms, type Person } from './person.ts';
import { prunePayload } from './prune-payload.ts';

/** What an erasure did (nothing here says who). */
export interface ErasureResult {
  readonly erasureId: string;
  /** The person's numbers, for the caller to act on (e.g. find landing files); never stored. */
  readonly phones: readonly string[];
  /** Numbers of the person (1, or more when identity resolution merged several). */
  readonly phoneNumbers: number;
  readonly rowsDeleted: number;
  /** Rows kept with the person taken out (webhook payloads of several people, run logs). */
  readonly rowsRewritten: number;
  /** `schema.table` -> rows deleted or rewritten. */
  readonly tables: Readonly<Record<string, number>>;
  /** Tables where one of the person's names still appears in rows not tied to them (other people with the same name), kept. */
  readonly namesLeft: readonly { table: string; rows: number }[];
}

/** Tables never touched: the record of migrations and erasures, and small state. */
const SKIP = new Set(['ops.migrations', 'ops.erasures', 'ops.state']);
/** Logs where a number is blanked out instead of dropping the row. */
const REDACT = new Set(['ops.pipeline_runs', 'ops.builds', 'ops.model_runs', 'ops.dq_results']);
/** Columns holding ids of the person's records, by column name. */
const KEY_COLUMNS: Readonly<Record<string, keyof Person>> = {
  customer_id: 'customerIds',
  deal_id: 'dealIds',
  deal_record_id: 'dealIds',
  contact_id: 'contactIds',
  contact_record_id: 'contactIds',
  message_id: 'messageIds',
  inbound_message_id: 'messageIds',
  ticket_id: 'ticketIds',
};

interface TextColumn {
  readonly table: string;
  readonly column: string;
}

/**
 * `parley erase --phone`: removes one person (every number identity resolution tied to the
 * given one) from raw, staging, marts and quarantine in one transaction, and records in
 * ops.erasures that an erasure happened and how much it removed, never who. Rows tied to the
 * person by number, customer id, CRM record, message or ticket are deleted; webhook payloads
 * that also carry other people lose only the person's parts; run logs have the number blanked.
 */
export async function erasePerson(wh: Warehouse, phoneInput: string): Promise<ErasureResult> {
  const e164 = toE164(phoneInput, wh.config.region) ?? toE164(phoneInput, wh.config.region, true);
  if (!e164) throw new PipelineError('PIPE_BAD_OPTION', `--phone "${phoneInput}" is not a valid phone number; give it with its country code, e.g. +85291234567.`);
  return wh.locks.run('build', () =>
    wh.transaction(async (conn) => {
      const person = await findPerson(conn, e164);
      const tables: Record<string, number> = {};
      const add = (t: string, n: number) => n > 0 && (tables[t] = (tables[t] ?? 0) + n);
      let rewritten = 0;
      const columns = await textColumns(conn);
      const all = await queryOn<{ t: string }>(conn, `select schema_name || '.' || table_name as t from duckdb_tables() where schema_name in ('raw', 'staging', 'marts', 'ops') and not internal and not temporary`);
      const tableNames = all.map((r) => r.t).filter((t) => !SKIP.has(t));
      const phoneStrings = person.phones.flatMap(phoneTerms);

      // Webhook payloads may batch several people: keep the others.
      if (tableNames.includes('raw.whatsapp_payloads')) {
        const waIds = new Set(person.phones.map((p) => p.slice(1)));
        const rows = await queryOn<{ rid: number; payload: string }>(conn, `select rowid as rid, payload::varchar as payload from raw.whatsapp_payloads where ${anyContains('payload::varchar', phoneStrings.length)}`, phoneStrings);
        for (const r of rows) {
          const pruned = prunePayload(r.payload, waIds);
          if (pruned !== null && !phoneStrings.some((s) => pruned.includes(s))) {
            await runOn(conn, 'update raw.whatsapp_payloads set payload = $1 where rowid = $2', [pruned, r.rid]);
            rewritten++;
            add('raw.whatsapp_payloads', 1);
          } else {
            await runOn(conn, 'delete from raw.whatsapp_payloads where rowid = $1', [r.rid]);
            add('raw.whatsapp_payloads', 1);
          }
        }
      }
      // SCRM events that name the person's tickets or messages but not their number (csat, link clicks).
      if (tableNames.includes('raw.scrm_events')) {
        add('raw.scrm_events', await deleteWhere(conn, 'raw.scrm_events', `payload->>'conversation_id'`, person.ticketIds));
        add('raw.scrm_events', await deleteWhere(conn, 'raw.scrm_events', `payload->>'wamid'`, person.messageIds));
      }
      if (tableNames.includes('raw.crm_contacts')) add('raw.crm_contacts', await deleteWhere(conn, 'raw.crm_contacts', 'record_id', person.contactIds));
      if (tableNames.includes('raw.crm_deals')) add('raw.crm_deals', await deleteWhere(conn, 'raw.crm_deals', 'record_id', person.dealIds));

      for (const table of tableNames) {
        const cols = columns.filter((c) => c.table === table);
        // Rows tied by an id column.
        for (const c of cols) {
          const kind = KEY_COLUMNS[c.column];
          if (kind && !REDACT.has(table)) add(table, await deleteWhere(conn, table, ident(c.column), person[kind]));
        }
        // Any row that still mentions a number or an email of the person.
        const terms = [...phoneStrings, ...person.emails];
        if (terms.length === 0 || cols.length === 0) continue;
        if (REDACT.has(table)) {
          for (const c of cols) {
            const n = await changed(conn, `update ${table} set ${ident(c.column)} = ${terms.reduce((expr, _, i) => `replace(${expr}, $${i + 1}, '[erased]')`, `${ident(c.column)}::varchar`)} where ${anyContains(`${ident(c.column)}::varchar`, terms.length)}`, terms);
            rewritten += n;
            add(table, n);
          }
        } else {
          add(table, await changed(conn, `delete from ${table} where ${cols.map((c) => anyContains(`${ident(c.column)}::varchar`, terms.length)).join(' or ')}`, terms));
        }
        // Quarantined and exported records may hold the person only by name.
        if (table === 'ops.quarantine' || (table.startsWith('raw.') && table.includes('export'))) {
          for (const name of person.names) {
            const tokens = name.toLowerCase().split(/\s+/).filter((t) => t.length >= 2);
            if (tokens.length === 0) continue;
            const cond = cols.map((c) => `(${tokens.map((_, i) => `contains(lower(${ident(c.column)}::varchar), $${i + 1})`).join(' and ')})`).join(' or ');
            add(table, await changed(conn, `delete from ${table} where ${cond}`, tokens));
          }
        }
      }

      const namesLeft: { table: string; rows: number }[] = [];
      for (const table of tableNames) {
        const cols = columns.filter((c) => c.table === table);
        if (cols.length === 0 || person.names.length === 0) continue;
        const names = person.names.map((n) => n.toLowerCase());
        const [row] = await queryOn<{ n: number }>(conn, `select count(*) as n from ${table} where ${cols.map((c) => anyContains(`lower(${ident(c.column)}::varchar)`, names.length)).join(' or ')}`, names);
        if ((row?.n ?? 0) > 0) namesLeft.push({ table, rows: row!.n });
      }

      const deleted = Object.values(tables).reduce((a, b) => a + b, 0) - rewritten;
      const erasureId = `erasure-${randomUUID()}`;
      await runOn(conn, `insert into ops.erasures values ($1, now(), $2, $3, $4, $5)`, [erasureId, person.phones.length, deleted, rewritten, JSON.stringify(tables)]);
      // Rows left model tables outside a build: the next build must not keep any model as it is.
      await forgetModelInputs(conn);
      await bumpDataVersion(conn);
      return { erasureId, phones: person.phones, phoneNumbers: person.phones.length, rowsDeleted: deleted, rowsRewritten: rewritten, tables, namesLeft };
    }),
  );
}

/** Every text-like column (VARCHAR, JSON, lists of them) of the warehouse's tables. */
async function textColumns(conn: DuckDBConnection): Promise<TextColumn[]> {
  return queryOn<TextColumn>(
    conn,
    `select c.schema_name || '.' || c.table_name as "table", c.column_name as "column"
     from duckdb_columns() as c
     join duckdb_tables() as t on t.schema_name = c.schema_name and t.table_name = c.table_name
     where c.schema_name in ('raw', 'staging', 'marts', 'ops') and not t.temporary
       and (c.data_type like '%VARCHAR%' or c.data_type like '%JSON%')
     order by 1, 2`,
  );
}

/** `contains(expr, $1) or contains(expr, $2) ...` for `n` parameters. */
function anyContains(expr: string, n: number): string {
  return n === 0 ? 'false' : `(${Array.from({ length: n }, (_, i) => `contains(${expr}, $${i + 1})`).join(' or ')})`;
}

async function deleteWhere(conn: DuckDBConnection, table: string, expr: string, values: readonly string[]): Promise<number> {
  if (values.length === 0) return 0;
  return changed(conn, `delete from ${table} where ${expr} in (${values.map((_, i) => `$${i + 1}`).join(', ')})`, values);
}

async function changed(conn: DuckDBConnection, sql: string, params: readonly string[]): Promise<number> {
  const result = await conn.run(sql, [...params]);
  return result.rowsChanged;
}
