import type { PhoneNormaliser } from '../phones.ts';
import type { RawValue } from '../source.ts';
import { countryCode } from './countries.ts';
import type { CrmEntity, CrmMapping, FieldMap } from './crm-mapping.ts';
import { lookupAlias, parseAmount, parseCrmDate, type Parsed } from './crm-values.ts';
import type { SkuCatalog } from './sku-catalog.ts';

/** A CRM record as received: column (or API property) -> value. */
export type SourceRecord = Readonly<Record<string, string | null | undefined>>;

/** How to read one kind of record: a CSV profile or the API settings of an object type. */
export interface RecordProfile {
  readonly name: string;
  readonly vendor: string;
  readonly entity: CrmEntity;
  readonly fields: FieldMap;
  readonly date_formats?: readonly string[];
  readonly timezone?: string | null;
  readonly decimal?: '.' | ',';
  readonly defaults?: Readonly<Record<string, string>>;
}

/** What the mapper needs besides the record. */
export interface MappingContext {
  readonly mapping: CrmMapping;
  /** PARLEY_TZ, for dates without an offset when the profile names no timezone. */
  readonly tz: string;
  readonly phones: PhoneNormaliser;
  readonly skus: SkuCatalog;
}

/** Where a record came from. */
export interface RecordOrigin {
  readonly source: 'crm-api' | 'crm-csv';
  readonly location: string;
  readonly lineNo: number | null;
}

/** The outcome of mapping one record: a raw row (or the reason it cannot load), problems and counters. */
export type MappedRecord =
  | { readonly table: 'raw.crm_contacts' | 'raw.crm_deals' | 'raw.crm_deal_stage_changes'; readonly row: RawValue[]; readonly recordId: string; readonly errors: string[]; readonly counters: Record<string, number> }
  | { readonly reason: string; readonly recordId?: string };

/** The raw table each entity lands in. */
export const ENTITY_TABLE = { contacts: 'raw.crm_contacts', deals: 'raw.crm_deals', deal_stage_history: 'raw.crm_deal_stage_changes' } as const;

/**
 * Maps one CRM record onto our fields for its raw table: trims values, applies the
 * configured defaults to empty fields (counted), parses dates, amounts, stages and payment
 * methods (a value that does not parse is a mapping error: counted, the field left empty,
 * the record still loads), normalises phones to E.164 (a contact with an invalid phone goes
 * to quarantine). The record itself is kept as the payload.
 */
export function mapRecord(profile: RecordProfile, record: SourceRecord, origin: RecordOrigin, ctx: MappingContext): MappedRecord {
  const lower = new Map<string, string>();
  for (const [k, v] of Object.entries(record)) {
    if (v !== null && v !== undefined && String(v).trim() !== '' && !lower.has(k.trim().toLowerCase())) lower.set(k.trim().toLowerCase(), String(v).trim());
  }
  const errors: string[] = [];
  const counters: Record<string, number> = {};
  const count = (k: string, n = 1) => (counters[k] = (counters[k] ?? 0) + n);
  const defaulted: string[] = [];
  const get = (field: string): string | null => {
    const cols = profile.fields[field];
    if (cols !== undefined) {
      for (const c of typeof cols === 'string' ? [cols] : cols) {
        const v = lower.get(c.toLowerCase());
        if (v !== undefined) return v;
      }
    }
    const fallback = profile.defaults?.[field] ?? (profile.fields[field] !== undefined ? ctx.mapping.defaults[field] : undefined);
    if (fallback !== undefined) {
      defaulted.push(field);
      return fallback;
    }
    return null;
  };
  const tz = profile.timezone ?? ctx.tz;
  const formats = profile.date_formats ?? [];
  const take = <T>(field: string, parsed: Parsed<T>): T | null => {
    if ('error' in parsed) {
      errors.push(`${field}: ${parsed.error}`);
      return null;
    }
    return parsed.value;
  };
  const date = (field: string) => take(field, parseCrmDate(get(field), formats, tz));
  const payload = JSON.stringify(record);
  const base = [origin.source, profile.vendor, origin.location, origin.lineNo];

  if (profile.entity === 'deal_stage_history') {
    const dealId = get('deal_id');
    if (!dealId) return { reason: `${profile.name}: no deal id (column ${describe(profile.fields.deal_id)})` };
    const stageRaw = get('stage');
    const stage = take('stage', lookupAlias(ctx.mapping.stages, stageRaw));
    const changed = parseCrmDate(get('changed_at'), formats, tz);
    if ('error' in changed || changed.value === null) {
      return { reason: `${profile.name}: stage change of ${dealId} has no readable time (${'error' in changed ? changed.error : 'empty'})`, recordId: dealId };
    }
    const amount = take('amount', parseAmount(get('amount'), profile.decimal));
    count('stage_changes');
    return finish('raw.crm_deal_stage_changes', dealId, [...base, dealId, stageRaw, stage, changed.value, amount, payload]);
  }

  const recordId = get('record_id');
  if (!recordId) return { reason: `${profile.name}: no record id (column ${describe(profile.fields.record_id)})` };
  const modified = date('modified_at');
  const created = date('created_at');

  if (profile.entity === 'contacts') {
    const phoneRaw = get('phone');
    let phone: string | null = null;
    if (phoneRaw === null) count('contacts_without_phone');
    else {
      phone = ctx.phones.e164(phoneRaw) ?? null;
      if (phone === null) return { reason: `${profile.name}: contact ${recordId} phone ${JSON.stringify(phoneRaw)} is not a valid phone number`, recordId };
    }
    const full = get('name');
    const name = full ?? ([get('first_name'), get('last_name')].filter(Boolean).join(' ') || null);
    let email = get('email');
    if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      errors.push(`email: "${email}" is not an email address`);
      email = null;
    }
    const tier = get('tier')?.toLowerCase() ?? null;
    const countryText = get('country');
    const country = countryText === null ? null : (countryCode(countryText) ?? null);
    if (countryText !== null && country === null) errors.push(`country: "${countryText}" is not a known country`);
    const address = get('address');
    const postal = get('postal_code');
    if (address !== null && postal === null) count('addresses_without_postal_code');
    count('contacts');
    return finish('raw.crm_contacts', recordId, [
      ...base, recordId, modified, created, phoneRaw, phone, name, email === null ? null : email.toLowerCase(), tier, country, get('city'), address, postal, defaulted.join(',') || null, payload,
    ]);
  }

  const phoneRaw = get('phone');
  let phone: string | null = null;
  if (phoneRaw !== null) {
    phone = ctx.phones.e164(phoneRaw) ?? null;
    if (phone === null) errors.push(`phone: ${JSON.stringify(phoneRaw)} is not a valid phone number`);
  }
  const stageRaw = get('stage');
  const stage = take('stage', lookupAlias(ctx.mapping.stages, stageRaw));
  const amount = take('amount', parseAmount(get('amount'), profile.decimal));
  let currency = get('currency')?.toUpperCase() ?? null;
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) {
    errors.push(`currency: "${currency}" is not a three-letter currency code`);
    currency = null;
  }
  const product = get('product');
  const skuRaw = get('sku');
  if ((product !== null || skuRaw !== null) && ctx.skus.skuFor(skuRaw) === undefined && ctx.skus.skuFor(product) === undefined) count('unknown_skus');
  const quantityText = get('quantity');
  let quantity: number | null = null;
  if (quantityText !== null) {
    const q = take('quantity', parseAmount(quantityText, profile.decimal));
    if (q !== null && (!Number.isInteger(q) || q < 0)) errors.push(`quantity: "${quantityText}" is not a whole number`);
    else quantity = q;
  }
  const paymentRaw = get('payment_method');
  const payment = take('payment_method', lookupAlias(ctx.mapping.payment_methods, paymentRaw));
  count('deals');
  return finish('raw.crm_deals', recordId, [
    ...base, recordId, get('contact_id'), phone, get('deal_name'), modified, created, date('closed_at'), stageRaw, stage, amount, currency, product, skuRaw, quantity, paymentRaw, payment,
    date('quoted_at'), date('ordered_at'), date('paid_at'), date('lost_at'), defaulted.join(',') || null, payload,
  ]);

  function finish(table: 'raw.crm_contacts' | 'raw.crm_deals' | 'raw.crm_deal_stage_changes', id: string, row: RawValue[]): MappedRecord {
    if (errors.length > 0) count('mapping_errors', errors.length);
    if (defaulted.length > 0) count('defaults_applied', defaulted.length);
    return { table, row, recordId: id, errors: errors.map((e) => `${profile.name} ${id} ${e}`), counters };
  }
}

function describe(cols: string | readonly string[] | undefined): string {
  if (cols === undefined) return '(not mapped)';
  return typeof cols === 'string' ? `"${cols}"` : cols.map((c) => `"${c}"`).join(' or ');
}

/** The first CSV profile whose `detect` columns are all in `header` (compared ignoring case). */
export function profileForHeader<P extends { detect: readonly string[] }>(profiles: readonly P[], header: readonly string[]): P | undefined {
  const have = new Set(header.map((h) => h.trim().toLowerCase()));
  return profiles.find((p) => p.detect.every((c) => have.has(c.toLowerCase())));
}
