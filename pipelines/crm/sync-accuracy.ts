import { errorMessage } from '../../config/parley-error.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import type { Logger } from '../logger.ts';
import { PhoneNormaliser } from '../phones.ts';
import { crmApiUnavailable, pullPolicy } from '../sources/crm-api.source.ts';
import { chooseApiUrl, parseProbeState } from './api-failover.ts';
import { mapRecord, type MappingContext } from './column-mapping.ts';
import { loadCrmMapping } from './crm-mapping.ts';
import { realHttpDeps, type HttpDeps } from './http-client.ts';
import { associationsOf, getObject, propertiesOf, toSourceRecord } from './hubspot-client.ts';
import { SkuCatalog } from './sku-catalog.ts';

/** The check's name in ops.dq_results. */
export const SYNC_ACCURACY_CHECK = 'crm_sync_accuracy';

/** What one accuracy check found. */
export interface SyncAccuracy {
  readonly status: 'pass' | 'warn' | 'fail';
  /** Matching fields / compared fields (null when nothing could be compared). */
  readonly accuracy: number | null;
  readonly threshold: number;
  readonly details: Record<string, unknown>;
}

interface Sampled {
  object: 'contacts' | 'deals';
  id: string;
  phone_e164: string | null;
  amount: number | null;
  stage: string | null;
  created_at: Date | null;
  closed_at: Date | null;
  modified_at: Date | null;
}

/** Fields compared per object type (DESIGN: amount, stage, dates, phone). */
const COMPARED = { contacts: ['phone_e164', 'created_at'], deals: ['amount', 'stage', 'created_at', 'closed_at'] } as const;

/**
 * The daily sync check: a random sample of CRM records synced by crm-api is fetched again
 * one by one and compared field by field with the warehouse's latest version. Records
 * changed in the CRM since they were synced are left out; records the CRM no longer has
 * count as all fields wrong. The accuracy goes to ops.dq_results; below the threshold (99%)
 * the check fails. Runs only when the last check is older than `interval_hours` unless
 * `force`; returns null when it did not run.
 */
export async function checkCrmSyncAccuracy(
  wh: Warehouse,
  opts: { fetch?: typeof globalThis.fetch; now?: () => Date; deps?: Partial<HttpDeps>; random?: () => number; force?: boolean; log?: Logger } = {},
): Promise<SyncAccuracy | null> {
  if (crmApiUnavailable(wh.config)) return null;
  const mapping = loadCrmMapping(wh.config);
  const { sample_size: sampleSize, threshold, interval_hours: intervalHours } = mapping.api.accuracy;
  const now = opts.now ?? (() => new Date());
  if (!opts.force) {
    const [last] = await wh.query<{ run_at: Date | null }>(`select max(run_at) as run_at from ops.dq_results where check_name = $1`, [SYNC_ACCURACY_CHECK]);
    if (last?.run_at && now().getTime() - last.run_at.getTime() < intervalHours * 3_600_000) return null;
  }
  const random = opts.random ?? Math.random;
  const seed = Math.floor(random() * 1_000_000);
  const sample = await wh.query<Sampled>(
    `select * from (
       select 'contacts' as object, contact_id as id, phone_e164, null::double as amount, null as stage, created_at, null::timestamptz as closed_at, modified_at
       from staging.stg_crm_contacts where source = 'crm-api' and vendor = $1
       union all
       select 'deals' as object, deal_id as id, null as phone_e164, amount, stage, created_at, closed_at, modified_at
       from staging.stg_crm_deals where source = 'crm-api' and vendor = $1
     ) using sample reservoir(${Math.max(1, Math.floor(sampleSize))} rows) repeatable (${seed})
     order by object, id`,
    [mapping.api.vendor],
  ).catch(() => [] as Sampled[]);

  const [cursor] = await wh.query<{ cursor_value: string }>(`select cursor_value from ops.cursors where source = 'crm-api' and cursor_key = 'probe'`);
  const url = chooseApiUrl(wh.config.crmApiUrls, parseProbeState(cursor?.cursor_value), mapping.api.probe.consecutive).url;
  const deps: HttpDeps = { ...realHttpDeps, now: () => now().getTime(), ...(opts.fetch ? { fetch: opts.fetch } : {}), ...opts.deps };
  const conn = { baseUrl: url, token: wh.config.crmApiToken, policy: pullPolicy(mapping.api), deps };
  const mctx: MappingContext = { mapping, tz: wh.config.tz, phones: new PhoneNormaliser(wh.config.region), skus: SkuCatalog.load(wh.config) };

  let compared = 0;
  let matched = 0;
  let changedSinceSync = 0;
  let missing = 0;
  const mismatches: { object: string; id: string; field: string }[] = [];
  let error: string | undefined;
  try {
    for (const s of sample) {
      const fields = mapping.api[s.object];
      const o = await getObject(conn, s.object, s.id, { properties: propertiesOf(fields), associations: associationsOf(fields) });
      if (o === null) {
        missing++;
        compared += COMPARED[s.object].length;
        for (const field of COMPARED[s.object]) if (mismatches.length < 20) mismatches.push({ object: s.object, id: s.id, field });
        continue;
      }
      const mapped = mapRecord({ name: `${mapping.api.vendor}-api-${s.object}`, vendor: mapping.api.vendor, entity: s.object, fields }, toSourceRecord(o), { source: 'crm-api', location: url, lineNo: null }, mctx);
      const fresh = 'row' in mapped ? freshValues(s.object, mapped.row) : undefined;
      if (fresh && fresh.modified_at && s.modified_at && fresh.modified_at.getTime() > s.modified_at.getTime()) {
        changedSinceSync++;
        continue;
      }
      for (const field of COMPARED[s.object]) {
        compared++;
        if (fresh && same(s[field], fresh[field])) matched++;
        else if (mismatches.length < 20) mismatches.push({ object: s.object, id: s.id, field });
      }
    }
  } catch (err) {
    error = errorMessage(err);
  }
  const accuracy = compared === 0 ? null : matched / compared;
  const status: SyncAccuracy['status'] = error !== undefined || accuracy === null ? 'warn' : accuracy >= threshold ? 'pass' : 'fail';
  const details = { url, sampled: sample.length, fields_compared: compared, fields_matched: matched, changed_since_sync: changedSinceSync, missing_in_crm: missing, mismatches, ...(error ? { error } : {}) };
  await wh.run(`insert into ops.dq_results values ($1, null, $2, 'error', $3, $4, $5, $6)`, [now(), SYNC_ACCURACY_CHECK, status, accuracy, threshold, JSON.stringify(details)]);
  const line = `${SYNC_ACCURACY_CHECK}: ${status}, ${accuracy === null ? 'nothing compared' : `${(accuracy * 100).toFixed(2)}% of ${compared} fields match`} (threshold ${threshold * 100}%)${error ? `; ${error}` : ''}`;
  if (status === 'pass') opts.log?.info(line);
  else opts.log?.warn(line);
  return { status, accuracy, threshold, details };
}

/** The compared fields of a freshly mapped raw row (positions of raw.crm_contacts / raw.crm_deals after load_id). */
function freshValues(object: 'contacts' | 'deals', row: readonly unknown[]): Partial<Record<string, unknown>> & { modified_at?: Date | null } {
  if (object === 'contacts') return { modified_at: row[5] as Date | null, created_at: row[6], phone_e164: row[8] };
  return { modified_at: row[8] as Date | null, created_at: row[9], closed_at: row[10], stage: row[12], amount: row[13] };
}

function same(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (typeof a === 'number' || typeof b === 'number') return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 0.005;
  return a === b;
}
