import type { DuckDBConnection } from '@duckdb/node-api';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { queryOn } from '../../warehouse/db.ts';

/** Everything that identifies one person in the warehouse. */
export interface Person {
  /** Every number of the person (E.164): the one asked for and those merged with it. */
  readonly phones: string[];
  readonly customerIds: string[];
  readonly names: string[];
  readonly emails: string[];
  readonly contactIds: string[];
  readonly dealIds: string[];
  readonly messageIds: string[];
  readonly ticketIds: string[];
}

/** Which tables exist, as `schema.table`. */
export async function existingTables(conn: DuckDBConnection): Promise<Set<string>> {
  const rows = await queryOn<{ t: string }>(conn, `select schema_name || '.' || table_name as t from duckdb_tables() where not internal and not temporary`);
  return new Set(rows.map((r) => r.t));
}

const inList = (values: readonly string[]) => (values.length === 0 ? '(null)' : `(${values.map((_, i) => `$${i + 1}`).join(', ')})`);

/** Distinct non-empty strings of one column for rows matching `where` (params are `values`). */
async function collect(conn: DuckDBConnection, sql: string, values: readonly string[]): Promise<string[]> {
  if (values.length === 0) return [];
  const rows = await queryOn<{ v: unknown }>(conn, sql.replaceAll('$LIST', inList(values)), values);
  return [...new Set(rows.map((r) => (r.v === null || r.v === undefined ? '' : String(r.v).trim())).filter((v) => v !== ''))];
}

/**
 * Finds a person by one number: the customer that number belongs to (identity resolution
 * may have merged several numbers into it), then every id and name tied to those numbers
 * in raw and staging. Works on a warehouse that was never built (raw only).
 */
export async function findPerson(conn: DuckDBConnection, e164: string): Promise<Person> {
  const tables = await existingTables(conn);
  const has = (t: string) => tables.has(t);
  let phones = [e164];
  let customerIds: string[] = [];
  if (has('staging.int_customer_phones')) {
    customerIds = await collect(conn, `select distinct customer_id as v from staging.int_customer_phones where phone_e164 in $LIST`, phones);
    phones = [...new Set([e164, ...(await collect(conn, `select phone_e164 as v from staging.int_customer_phones where customer_id in $LIST`, customerIds))])];
  }
  const contactIds = has('raw.crm_contacts') ? await collect(conn, `select record_id as v from raw.crm_contacts where phone_e164 in $LIST`, phones) : [];
  const dealIds = has('raw.crm_deals')
    ? [...new Set([
        ...(await collect(conn, `select record_id as v from raw.crm_deals where phone_e164 in $LIST`, phones)),
        ...(await collect(conn, `select record_id as v from raw.crm_deals where contact_record_id in $LIST`, contactIds)),
      ])]
    : [];
  const names = new Set<string>();
  const emails = new Set<string>();
  if (has('raw.crm_contacts')) {
    for (const n of await collect(conn, `select name as v from raw.crm_contacts where phone_e164 in $LIST`, phones)) names.add(n);
    for (const e of await collect(conn, `select email as v from raw.crm_contacts where phone_e164 in $LIST`, phones)) emails.add(e);
  }
  if (has('staging.int_customer_names')) for (const n of await collect(conn, `select name as v from staging.int_customer_names where phone_e164 in $LIST`, phones)) names.add(n);
  if (has('staging.stg_whatsapp_messages')) {
    for (const n of await collect(conn, `select profile_name as v from staging.stg_whatsapp_messages where customer_phone_e164 in $LIST`, phones)) names.add(n);
  }
  const messageIds = has('staging.stg_messages') ? await collect(conn, `select message_id as v from staging.stg_messages where customer_phone_e164 in $LIST`, phones) : [];
  const ticketIds = has('raw.scrm_events') ? await collect(conn, `select payload->>'conversation_id' as v from raw.scrm_events where customer_e164 in $LIST`, phones) : [];
  return { phones, customerIds, names: [...names], emails: [...emails], contactIds, dealIds, messageIds, ticketIds };
}

/** The ways a number is written in the data: with country code (wa_id, E.164 without +) and national. */
export function phoneTerms(e164: string): string[] {
  const digits = e164.replace(/^\+/, '');
  const national = parsePhoneNumberFromString(e164)?.nationalNumber;
  return [...new Set([digits, ...(national && national.length >= 7 ? [String(national)] : [])])];
}
