import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';

/** What a CRM record is about. */
export type CrmEntity = 'contacts' | 'deals' | 'deal_stage_history';

/** Our stages of a deal (DESIGN funnel): quoted -> ordered -> paid, or lost. */
export type DealStage = 'quoted' | 'ordered' | 'paid' | 'lost';
export const DEAL_STAGES: readonly DealStage[] = ['quoted', 'ordered', 'paid', 'lost'];

/** The fields each entity maps (record keys on the left of `fields`); starred ones are required. */
export const ENTITY_FIELDS: Readonly<Record<CrmEntity, readonly string[]>> = {
  contacts: ['record_id', 'name', 'first_name', 'last_name', 'phone', 'email', 'tier', 'country', 'city', 'address', 'postal_code', 'created_at', 'modified_at'],
  deals: [
    'record_id', 'contact_id', 'phone', 'deal_name', 'amount', 'currency', 'stage', 'product', 'sku', 'quantity', 'payment_method',
    'created_at', 'closed_at', 'modified_at', 'quoted_at', 'ordered_at', 'paid_at', 'lost_at',
  ],
  deal_stage_history: ['deal_id', 'stage', 'changed_at', 'amount'],
};
/** Fields without which a record cannot load (it goes to quarantine). */
export const REQUIRED_FIELDS: Readonly<Record<CrmEntity, readonly string[]>> = {
  contacts: ['record_id'],
  deals: ['record_id'],
  deal_stage_history: ['deal_id', 'stage', 'changed_at'],
};

/** Field -> the column (or the first non-empty of several columns) it comes from. */
export type FieldMap = Readonly<Record<string, string | readonly string[]>>;

/** How one kind of CSV export maps onto our fields. */
export interface CsvProfile {
  readonly name: string;
  readonly vendor: string;
  readonly entity: CrmEntity;
  /** Columns that must all be in the header for this profile to apply. */
  readonly detect: readonly string[];
  /** Date formats tried in order (ISO 8601 and epoch milliseconds always work). */
  readonly date_formats?: readonly string[];
  /** Timezone of dates without an offset (default PARLEY_TZ). */
  readonly timezone?: string | null;
  /** Decimal separator of amounts (`.` default, `,` for European-style exports). */
  readonly decimal?: '.' | ',';
  readonly defaults?: Readonly<Record<string, string>>;
  readonly fields: FieldMap;
}

/** Settings of the HubSpot-compatible API pull. */
export interface ApiSettings {
  readonly vendor: string;
  readonly page_size: number;
  readonly lookback_minutes: number;
  readonly max_attempts: number;
  readonly timeout_ms: number;
  readonly backoff_base_ms: number;
  readonly backoff_max_ms: number;
  readonly max_retry_after_ms: number;
  readonly probe: { readonly interval_minutes: number; readonly slow_ms: number; readonly consecutive: number; readonly timeout_ms: number };
  readonly accuracy: { readonly interval_hours: number; readonly sample_size: number; readonly threshold: number };
  readonly contacts: FieldMap;
  readonly deals: FieldMap;
}

/** `config/crm_mapping.json`. */
export interface CrmMapping {
  readonly defaults: Readonly<Record<string, string>>;
  readonly stages: Readonly<Record<DealStage, readonly string[]>>;
  readonly payment_methods: Readonly<Record<string, readonly string[]>>;
  readonly api: ApiSettings;
  readonly profiles: readonly CsvProfile[];
}

/** Reads and validates `config/crm_mapping.json`. */
export function loadCrmMapping(config: Pick<Config, 'configDir'>): CrmMapping {
  return readJsonConfig<CrmMapping>(config, 'crm_mapping', validateCrmMapping);
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');
const isColumn = (v: unknown) => (typeof v === 'string' && v !== '') || (isStrList(v) && v.length > 0);

function checkFields(where: string, entity: CrmEntity, fields: unknown, problems: string[]): void {
  if (!isObj(fields)) {
    problems.push(`${where}.fields must be an object of field -> column`);
    return;
  }
  for (const [k, v] of Object.entries(fields)) {
    if (!ENTITY_FIELDS[entity].includes(k)) problems.push(`${where}.fields.${k} is not a ${entity} field (known: ${ENTITY_FIELDS[entity].join(', ')})`);
    else if (!isColumn(v)) problems.push(`${where}.fields.${k} must be a column name or a list of them`);
  }
  for (const r of REQUIRED_FIELDS[entity]) if (!(r in fields)) problems.push(`${where}.fields needs "${r}"`);
}

/** Lists what is wrong with a parsed crm_mapping.json (empty when it is fine). */
export function validateCrmMapping(value: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(value)) return ['the file must hold a JSON object'];
  if (!isObj(value.defaults) || !Object.values(value.defaults).every((v) => typeof v === 'string')) problems.push('"defaults" must map field names to text values');
  if (!isObj(value.stages)) problems.push('"stages" must map quoted/ordered/paid/lost to lists of CRM stage names');
  else for (const s of DEAL_STAGES) if (!isStrList(value.stages[s])) problems.push(`"stages.${s}" must be a list of CRM stage names`);
  if (!isObj(value.payment_methods) || !Object.values(value.payment_methods).every(isStrList)) problems.push('"payment_methods" must map a method (cod, card, ...) to a list of names');
  const api = value.api;
  if (!isObj(api)) problems.push('"api" must be an object');
  else {
    for (const k of ['page_size', 'lookback_minutes', 'max_attempts', 'timeout_ms', 'backoff_base_ms', 'backoff_max_ms', 'max_retry_after_ms']) {
      if (typeof api[k] !== 'number' || !(api[k] as number >= 0)) problems.push(`"api.${k}" must be a number >= 0`);
    }
    if (typeof api.max_attempts === 'number' && api.max_attempts < 1) problems.push('"api.max_attempts" must be at least 1');
    if (!isObj(api.probe) || !['interval_minutes', 'slow_ms', 'consecutive', 'timeout_ms'].every((k) => typeof (api.probe as Record<string, unknown>)[k] === 'number')) {
      problems.push('"api.probe" needs numbers interval_minutes, slow_ms, consecutive, timeout_ms');
    }
    if (!isObj(api.accuracy) || !['interval_hours', 'sample_size', 'threshold'].every((k) => typeof (api.accuracy as Record<string, unknown>)[k] === 'number')) {
      problems.push('"api.accuracy" needs numbers interval_hours, sample_size, threshold');
    }
    checkFields('"api.contacts"', 'contacts', { fields: api.contacts }.fields, problems);
    checkFields('"api.deals"', 'deals', { fields: api.deals }.fields, problems);
  }
  if (!Array.isArray(value.profiles)) problems.push('"profiles" must be a list of CSV profiles');
  else {
    for (const [i, p] of value.profiles.entries()) {
      const where = `"profiles[${i}]"`;
      if (!isObj(p)) {
        problems.push(`${where} must be an object`);
        continue;
      }
      if (typeof p.name !== 'string' || typeof p.vendor !== 'string') problems.push(`${where} needs "name" and "vendor"`);
      if (!['contacts', 'deals', 'deal_stage_history'].includes(p.entity as string)) {
        problems.push(`${where}.entity must be contacts, deals or deal_stage_history`);
        continue;
      }
      if (!isStrList(p.detect) || p.detect.length === 0) problems.push(`${where}.detect must list the header columns that identify the export`);
      if (p.date_formats !== undefined && !isStrList(p.date_formats)) problems.push(`${where}.date_formats must be a list of formats such as "DD/MM/YYYY HH:mm"`);
      if (p.decimal !== undefined && p.decimal !== '.' && p.decimal !== ',') problems.push(`${where}.decimal must be "." or ","`);
      if (p.timezone !== undefined && p.timezone !== null && !isTimeZone(p.timezone)) problems.push(`${where}.timezone ${JSON.stringify(p.timezone)} is not an IANA timezone`);
      checkFields(where, p.entity as CrmEntity, p.fields, problems);
    }
  }
  return problems;
}

function isTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
