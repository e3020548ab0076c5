import { PipelineError } from '../errors.ts';
import { describeUrl, getJson, type HttpDeps, type RetryInfo, type RetryPolicy } from './http-client.ts';
import type { SourceRecord } from './column-mapping.ts';

/** A CRM object as the HubSpot v3 API returns it. */
export interface HubSpotObject {
  readonly id: string;
  readonly properties?: Readonly<Record<string, string | null>>;
  readonly associations?: Readonly<Record<string, { results?: readonly { id: string; type?: string }[] }>>;
}

/** A page of objects and where the next one starts. */
export interface HubSpotPage {
  readonly url: string;
  readonly results: readonly HubSpotObject[];
  readonly after: string | undefined;
}

/** Connection settings shared by every call. */
export interface HubSpotConnection {
  readonly baseUrl: string;
  readonly token: string | undefined;
  readonly policy: RetryPolicy;
  readonly deps: HttpDeps;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: RetryInfo) => void;
}

const headers = (c: HubSpotConnection): Record<string, string> => (c.token ? { authorization: `Bearer ${c.token}` } : {});

/** The URL of a list page: `GET /crm/v3/objects/{object}?limit=&after=&properties=&associations=`. */
export function listUrl(baseUrl: string, object: string, opts: { limit: number; properties: readonly string[]; associations?: readonly string[]; after?: string }): string {
  const u = new URL(`${baseUrl.replace(/\/+$/, '')}/crm/v3/objects/${object}`);
  u.searchParams.set('limit', String(opts.limit));
  if (opts.after !== undefined) u.searchParams.set('after', opts.after);
  if (opts.properties.length > 0) u.searchParams.set('properties', opts.properties.join(','));
  if (opts.associations && opts.associations.length > 0) u.searchParams.set('associations', opts.associations.join(','));
  u.searchParams.set('archived', 'false');
  return u.toString();
}

/** Pages through every object of a type, following `paging.next.after`. */
export async function* listObjects(
  c: HubSpotConnection,
  object: string,
  opts: { limit: number; properties: readonly string[]; associations?: readonly string[] },
): AsyncGenerator<HubSpotPage> {
  let after: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const url = listUrl(c.baseUrl, object, { ...opts, after });
    const res = await getJson(url, { headers: headers(c), policy: c.policy, deps: c.deps, signal: c.signal, onRetry: c.onRetry });
    const body = res.body as { results?: unknown; paging?: { next?: { after?: unknown } } } | null;
    if (body === null || typeof body !== 'object' || !Array.isArray(body.results)) {
      throw new PipelineError('PIPE_CRM_API_FAILED', `GET ${describeUrl(url)} answered JSON without a results list; is CRM_API_URL a HubSpot-compatible API?`);
    }
    const next = body.paging?.next?.after;
    const nextAfter = next === undefined || next === null || next === '' ? undefined : String(next);
    yield { url: describeUrl(url), results: body.results as HubSpotObject[], after: nextAfter };
    if (nextAfter === undefined) return;
    // A server that hands out the same cursor again would page forever.
    if (seen.has(nextAfter)) throw new PipelineError('PIPE_CRM_API_FAILED', `GET ${describeUrl(url)} returned paging.next.after=${nextAfter} a second time; stopped instead of looping.`);
    seen.add(nextAfter);
    after = nextAfter;
  }
}

/** Fetches one object by id; null when the CRM no longer has it (404). */
export async function getObject(c: HubSpotConnection, object: string, id: string, opts: { properties: readonly string[]; associations?: readonly string[] }): Promise<HubSpotObject | null> {
  const u = new URL(`${c.baseUrl.replace(/\/+$/, '')}/crm/v3/objects/${object}/${encodeURIComponent(id)}`);
  if (opts.properties.length > 0) u.searchParams.set('properties', opts.properties.join(','));
  if (opts.associations && opts.associations.length > 0) u.searchParams.set('associations', opts.associations.join(','));
  const res = await getJson(u.toString(), { headers: headers(c), policy: c.policy, deps: c.deps, signal: c.signal, onRetry: c.onRetry, acceptStatus: [404] });
  if (res.status === 404) return null;
  const body = res.body as HubSpotObject | null;
  if (body === null || typeof body !== 'object' || typeof body.id !== 'string') {
    throw new PipelineError('PIPE_CRM_API_FAILED', `GET ${describeUrl(u.toString())} answered JSON that is not a CRM object.`);
  }
  return body;
}

/** Flattens an object into a record: `id`, its properties, and `associations.<type>` = the first associated id. */
export function toSourceRecord(o: HubSpotObject): SourceRecord {
  const out: Record<string, string | null> = { id: o.id === undefined || o.id === null ? null : String(o.id) };
  for (const [k, v] of Object.entries(o.properties ?? {})) out[k] = v === null || v === undefined ? null : String(v);
  for (const [type, assoc] of Object.entries(o.associations ?? {})) {
    const first = assoc?.results?.[0]?.id;
    out[`associations.${type}`] = first === undefined ? null : String(first);
  }
  return out;
}

/** The HubSpot property names a field map reads (not `id` nor associations). */
export function propertiesOf(fields: Readonly<Record<string, string | readonly string[]>>): string[] {
  const names = new Set<string>();
  for (const cols of Object.values(fields)) for (const c of typeof cols === 'string' ? [cols] : cols) if (c !== 'id' && !c.startsWith('associations.')) names.add(c);
  return [...names].sort();
}

/** The association types a field map reads (`associations.contacts` -> `contacts`). */
export function associationsOf(fields: Readonly<Record<string, string | readonly string[]>>): string[] {
  const types = new Set<string>();
  for (const cols of Object.values(fields)) for (const c of typeof cols === 'string' ? [cols] : cols) if (c.startsWith('associations.')) types.add(c.slice('associations.'.length));
  return [...types].sort();
}
