import type { ApiErrorCode } from '../../api/errors.ts';

const TOKEN_KEY = 'parley.token';

/** An error answer of the API (`{error: {code, message}}`), or a network failure. */
export class ApiProblem extends Error {
  constructor(
    readonly code: ApiErrorCode | 'NETWORK' | 'BAD_ANSWER' | 'ABORTED',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type Listener = () => void;
const authListeners = new Set<Listener>();
const tokenListeners = new Set<Listener>();

/** The token kept for this browser session (sessionStorage), if any. */
export function sessionToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps a token for the session (null forgets it) and tells every data hook to reload. */
export function setSessionToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled; the token then lasts until the page reloads.
  }
  memoryToken = token;
  cache.clear();
  for (const l of tokenListeners) l();
}

let memoryToken: string | null = null;

/** Calls `fn` whenever an answer says a token is needed (401); returns the unsubscribe. */
export function onUnauthorized(fn: Listener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

/** Calls `fn` whenever the session token changes; returns the unsubscribe. */
export function onTokenChange(fn: Listener): () => void {
  tokenListeners.add(fn);
  return () => tokenListeners.delete(fn);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const token = sessionToken() ?? memoryToken;
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

async function problemOf(res: Response): Promise<ApiProblem> {
  let code: ApiProblem['code'] = 'BAD_ANSWER';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code as ApiErrorCode;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy page, say): keep the status line.
  }
  if (res.status === 401) for (const l of authListeners) l();
  return new ApiProblem(code, message, res.status);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw new ApiProblem('ABORTED', 'cancelled', 0);
    throw new ApiProblem('NETWORK', `The server did not answer (${(err as Error).message}).`, 0);
  }
}

interface Cached {
  readonly etag: string;
  readonly data: unknown;
}
const cache = new Map<string, Cached>();

/** The last answer for a GET url, for an instant first paint while it revalidates. */
export function cachedAnswer<T>(url: string): T | undefined {
  return cache.get(url)?.data as T | undefined;
}

/**
 * GETs JSON. Answers carry the warehouse data version as ETag, so a repeat asks with
 * If-None-Match and a 304 reuses the answer held in memory.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const held = cache.get(url);
  const res = await send(url, { headers: headers(held ? { accept: 'application/json', 'if-none-match': held.etag } : { accept: 'application/json' }), signal, cache: 'no-store' });
  if (res.status === 304 && held) return held.data as T;
  if (!res.ok) throw await problemOf(res);
  const data = (await res.json()) as T;
  const etag = res.headers.get('etag');
  if (etag) cache.set(url, { etag, data });
  return data;
}

/** POSTs JSON and reads JSON back. */
export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const res = await send(url, { method: 'POST', headers: headers({ 'content-type': 'application/json', accept: 'application/json' }), body: JSON.stringify(body), signal });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** Sends a DELETE and reads JSON back. */
export async function deleteJson<T>(url: string): Promise<T> {
  const res = await send(url, { method: 'DELETE', headers: headers({ accept: 'application/json' }) });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** Fetches a file with the session token and hands it to the browser as a download. */
export async function download(url: string, filename: string, init: { method?: string; body?: unknown; accept?: string } = {}): Promise<void> {
  const res = await send(url, {
    method: init.method ?? 'GET',
    headers: headers({ accept: init.accept ?? '*/*', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) }),
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw await problemOf(res);
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A query string from defined values only (`?week=2026-W47&limit=50`). */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
