import { errorMessage } from '../../config/parley-error.ts';
import type { RawValue } from '../source.ts';
import type { ApiSettings } from './crm-mapping.ts';
import { describeUrl, getJson, type HttpDeps } from './http-client.ts';

/** What the probes found so far, kept as the crm-api source's `probe` cursor. */
export interface ProbeState {
  /** When the URLs were last probed (ISO). */
  readonly at: string | null;
  /** Per URL: consecutive slow or failed probes, and the last timing. */
  readonly urls: Readonly<Record<string, { readonly bad: number; readonly lastMs: number | null; readonly lastOk: boolean }>>;
}

/** Reads the stored probe state (nothing stored: never probed). */
export function parseProbeState(text: string | undefined): ProbeState {
  if (!text) return { at: null, urls: {} };
  try {
    const s = JSON.parse(text) as ProbeState;
    return { at: typeof s.at === 'string' ? s.at : null, urls: s.urls && typeof s.urls === 'object' ? s.urls : {} };
  } catch {
    return { at: null, urls: {} };
  }
}

/** True when the last probe is at least `intervalMinutes` old (or there was none). */
export function probeDue(state: ProbeState, now: Date, intervalMinutes: number): boolean {
  return state.at === null || now.getTime() - Date.parse(state.at) >= intervalMinutes * 60_000;
}

/**
 * Times one small request to every URL (`GET /crm/v3/objects/contacts?limit=1`, one attempt).
 * An answer slower than `slow_ms` or a failure adds to the URL's run of bad probes; a fast
 * answer resets it. Returns the new state and the rows for `ops.crm_api_probes`.
 */
export async function probeUrls(
  urls: readonly string[],
  state: ProbeState,
  opts: { token: string | undefined; settings: ApiSettings['probe']; deps: HttpDeps; now: Date; signal?: AbortSignal },
): Promise<{ state: ProbeState; rows: RawValue[][] }> {
  const rows: RawValue[][] = [];
  const next: Record<string, ProbeState['urls'][string]> = {};
  for (const url of urls) {
    const probeUrl = `${url.replace(/\/+$/, '')}/crm/v3/objects/contacts?limit=1`;
    let ok = false;
    let elapsedMs: number | null = null;
    let status: number | null = null;
    let error: string | null = null;
    const clock = opts.deps.clock ?? (() => performance.now());
    const started = clock();
    try {
      const res = await getJson(probeUrl, {
        headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
        policy: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: opts.settings.timeout_ms, maxRetryAfterMs: 0 },
        deps: opts.deps,
        signal: opts.signal,
      });
      ok = true;
      status = res.status;
      elapsedMs = res.elapsedMs;
    } catch (err) {
      error = errorMessage(err);
      elapsedMs = clock() - started;
      status = Number(/answered (\d{3})/.exec(error)?.[1] ?? NaN) || null;
    }
    const slow = elapsedMs !== null && elapsedMs > opts.settings.slow_ms;
    const previous = state.urls[url]?.bad ?? 0;
    next[url] = { bad: !ok || slow ? previous + 1 : 0, lastMs: elapsedMs === null ? null : Math.round(elapsedMs), lastOk: ok };
    rows.push([opts.now.toISOString(), describeUrl(url), elapsedMs, ok, slow, status, error]);
  }
  return { state: { at: opts.now.toISOString(), urls: next }, rows };
}

/**
 * The URL to pull from: the first (primary first, then backups in CRM_API_URL order) whose
 * last `consecutive` probes were not all slow or failed. Says so when it is not the primary.
 */
export function chooseApiUrl(urls: readonly string[], state: ProbeState, consecutive: number): { url: string; index: number; note?: string } {
  const bad = (u: string) => (state.urls[u]?.bad ?? 0) >= consecutive;
  const index = urls.findIndex((u) => !bad(u));
  if (index === 0) return { url: urls[0]!, index: 0 };
  if (index === -1) {
    return { url: urls[0]!, index: 0, note: `every CRM API URL had ${consecutive} slow or failed probes in a row; pulling from the primary ${describeUrl(urls[0]!)} anyway` };
  }
  const primary = state.urls[urls[0]!]!;
  return {
    url: urls[index]!,
    index,
    note: `failover: the primary ${describeUrl(urls[0]!)} was slow or failing for ${primary.bad} probes in a row (last ${primary.lastOk ? `${primary.lastMs} ms` : 'failed'}); pulling from backup ${describeUrl(urls[index]!)}`,
  };
}
