import type { Config } from '../../config/config.ts';
import { mapRecord, type MappingContext, type RecordProfile } from '../crm/column-mapping.ts';
import { loadCrmMapping, type ApiSettings } from '../crm/crm-mapping.ts';
import { parseCrmDate } from '../crm/crm-values.ts';
import { realHttpDeps, type HttpDeps, type RetryPolicy } from '../crm/http-client.ts';
import { associationsOf, listObjects, propertiesOf, toSourceRecord, type HubSpotConnection } from '../crm/hubspot-client.ts';
import { chooseApiUrl, parseProbeState, probeDue, probeUrls } from '../crm/api-failover.ts';
import { SkuCatalog } from '../crm/sku-catalog.ts';
import { PipelineError } from '../errors.ts';
import { PhoneNormaliser } from '../phones.ts';
import type { Batch, QuarantinedRecord, RawValue, Source, SourceContext } from '../source.ts';

/** Records per committed batch while paging (pages are smaller; this bounds memory). */
const BATCH_RECORDS = 5000;

/** The retry policy of the pull, from `api` in crm_mapping.json. */
export function pullPolicy(api: ApiSettings): RetryPolicy {
  return { maxAttempts: api.max_attempts, baseDelayMs: api.backoff_base_ms, maxDelayMs: api.backoff_max_ms, timeoutMs: api.timeout_ms, maxRetryAfterMs: api.max_retry_after_ms };
}

/** Why crm-api cannot run, or undefined when CRM_API_URL is set. */
export function crmApiUnavailable(config: Pick<Config, 'crmApiUrls'>): string | undefined {
  return config.crmApiUrls.length === 0
    ? 'crm-api needs CRM_API_URL (the HubSpot-compatible API, e.g. https://api.hubapi.com, optionally a backup URL after a comma) and CRM_API_TOKEN; set them, or use crm-csv for exports.'
    : undefined;
}

/**
 * The HubSpot-compatible CRM pull. `deps` replaces sleep, jitter and the timing clock in
 * tests (fetch and the wall clock come from the run context).
 */
export function createCrmApiSource(deps: Partial<Pick<HttpDeps, 'sleep' | 'random' | 'clock'>> = {}): Source {
  return {
    name: 'crm-api',
    description: 'HubSpot-compatible CRM API (contacts and deals, incremental by hs_lastmodifieddate) from CRM_API_URL',
    unavailable: crmApiUnavailable,
    freshness: { table: 'raw.crm_deals', column: 'modified_at', where: "source = 'crm-api'" },
    read: (ctx) => pull(ctx, deps),
  };
}

/** The registered crm-api source (real sleep and jitter). */
export const crmApiSource: Source = createCrmApiSource();

async function* pull(ctx: SourceContext, overrides: Partial<Pick<HttpDeps, 'sleep' | 'random' | 'clock'>>): AsyncGenerator<Batch> {
  const unavailable = crmApiUnavailable(ctx.config);
  if (unavailable) throw new PipelineError('PIPE_NOT_CONFIGURED', unavailable);
  const mapping = loadCrmMapping(ctx.config);
  const api = mapping.api;
  const deps: HttpDeps = { ...realHttpDeps, fetch: ctx.fetch, now: () => ctx.now().getTime(), ...overrides };
  const mctx: MappingContext = { mapping, tz: ctx.config.tz, phones: new PhoneNormaliser(ctx.config.region), skus: SkuCatalog.load(ctx.config) };
  if (!ctx.config.crmApiToken) ctx.log.warn('crm-api: CRM_API_TOKEN is not set; calling the API without a token');

  // Hourly probe of every URL, committed first so a failing pull keeps the probe history.
  let state = parseProbeState(ctx.cursor('probe'));
  if (probeDue(state, ctx.now(), api.probe.interval_minutes)) {
    const probed = await probeUrls(ctx.config.crmApiUrls, state, { token: ctx.config.crmApiToken, settings: api.probe, deps, now: ctx.now(), signal: ctx.signal });
    state = probed.state;
    yield { rows: { 'ops.crm_api_probes': probed.rows }, quarantine: [], read: 0, cursors: { probe: JSON.stringify(state) }, counters: { probes: probed.rows.length } };
  }
  const choice = chooseApiUrl(ctx.config.crmApiUrls, state, api.probe.consecutive);
  if (choice.note) {
    ctx.log.warn(`crm-api: ${choice.note}`);
    yield { rows: {}, quarantine: [], read: 0, cursors: {}, counters: choice.index > 0 ? { failovers: 1 } : {}, notes: [choice.note] };
  }

  let retries = 0;
  const conn: HubSpotConnection = {
    baseUrl: choice.url,
    token: ctx.config.crmApiToken,
    policy: pullPolicy(api),
    deps,
    signal: ctx.signal,
    onRetry: (r) => {
      retries++;
      ctx.log.warn(`crm-api: attempt ${r.attempt} ${r.reason}; retrying in ${r.delayMs} ms`);
    },
  };
  for (const object of ['contacts', 'deals'] as const) {
    const fields = api[object];
    const profile: RecordProfile = { name: `${api.vendor}-api-${object}`, vendor: api.vendor, entity: object, fields };
    const cursorKey = `${object}.modified_after`;
    const since = ctx.cursor(cursorKey);
    // Records modified shortly before the cursor are taken again: a CRM may commit them late.
    const from = since === undefined ? -Infinity : Date.parse(since) - api.lookback_minutes * 60_000;
    let newest = since === undefined ? -Infinity : Date.parse(since);
    let rows: RawValue[][] = [];
    let quarantine: QuarantinedRecord[] = [];
    let counters: Record<string, number> = {};
    let notes: string[] = [];
    let read = 0;
    const take = (cursors: Record<string, string>): Batch => {
      const batch: Batch = { rows: { [object === 'contacts' ? 'raw.crm_contacts' : 'raw.crm_deals']: rows }, quarantine, read, cursors, counters: { ...counters, api_retries: retries }, notes };
      rows = [];
      quarantine = [];
      counters = {};
      notes = [];
      read = 0;
      retries = 0;
      return batch;
    };
    for await (const page of listObjects(conn, object, { limit: api.page_size, properties: propertiesOf(fields), associations: associationsOf(fields) })) {
      for (const o of page.results) {
        read++;
        const record = toSourceRecord(o);
        const modifiedText = typeof fields.modified_at === 'string' ? record[fields.modified_at] : undefined;
        const modified = parseCrmDate(modifiedText, [], ctx.config.tz);
        const modifiedMs = 'value' in modified && modified.value ? modified.value.getTime() : undefined;
        if (modifiedMs !== undefined) {
          newest = Math.max(newest, modifiedMs);
          if (modifiedMs < from) {
            counters.unchanged = (counters.unchanged ?? 0) + 1;
            continue;
          }
        }
        const mapped = mapRecord(profile, record, { source: 'crm-api', location: page.url, lineNo: null }, mctx);
        if ('reason' in mapped) {
          quarantine.push({ location: page.url, recordId: mapped.recordId ?? record.id ?? undefined, reason: mapped.reason, rawText: JSON.stringify(o) });
          continue;
        }
        rows.push(mapped.row);
        for (const [k, v] of Object.entries(mapped.counters)) counters[k] = (counters[k] ?? 0) + v;
        if (notes.length < 5) notes.push(...mapped.errors.slice(0, 5 - notes.length));
      }
      if (read >= BATCH_RECORDS) yield take({});
      if (ctx.signal.aborted) return;
    }
    yield take(Number.isFinite(newest) ? { [cursorKey]: new Date(newest).toISOString() } : {});
  }
}
