import { PipelineError } from '../errors.ts';

/** What the client needs from the outside world, injected so tests need no wall clock. */
export interface HttpDeps {
  readonly fetch: typeof globalThis.fetch;
  /** Waits between attempts. */
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1) for jitter. */
  readonly random: () => number;
  /** Wall-clock milliseconds (for `Retry-After` given as an HTTP date). */
  readonly now: () => number;
  /** Monotonic milliseconds for timing answers (default performance.now). */
  readonly clock?: () => number;
}

/** How hard to try. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Per attempt, headers and body included. */
  readonly timeoutMs: number;
  /** A `Retry-After` longer than this ends the run instead of waiting. */
  readonly maxRetryAfterMs: number;
}

/** A JSON answer and what it took to get it. */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
  /** Time of the last (successful) attempt. */
  readonly elapsedMs: number;
  readonly attempts: number;
}

/** One retry about to happen, for logs and counters. */
export interface RetryInfo {
  readonly attempt: number;
  readonly reason: string;
  readonly delayMs: number;
}

/** Real dependencies: global fetch, setTimeout, Math.random, Date.now. */
export const realHttpDeps: HttpDeps = {
  fetch: (...args) => globalThis.fetch(...args),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/** The delay before retry number `attempt` (1-based): exponential, capped, the upper half jittered. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * GETs JSON with retries: 429, 5xx, timeouts, network errors and malformed JSON are tried
 * again after an exponential backoff with jitter (at least what `Retry-After` asks), up to
 * `maxAttempts`; then a PIPE_CRM_API_FAILED error says what happened last. 401/403 end at
 * once (PIPE_CRM_API_AUTH); other 4xx end at once unless listed in `acceptStatus`, which
 * come back with a null body.
 */
export async function getJson(
  url: string,
  opts: { headers?: Record<string, string>; policy: RetryPolicy; deps: HttpDeps; signal?: AbortSignal; acceptStatus?: readonly number[]; onRetry?: (info: RetryInfo) => void },
): Promise<JsonResponse> {
  const { policy, deps } = opts;
  const clock = deps.clock ?? (() => performance.now());
  const what = `GET ${describeUrl(url)}`;
  let lastReason = '';
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    const started = clock();
    let wait: number | undefined;
    try {
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(policy.timeoutMs)]) : AbortSignal.timeout(policy.timeoutMs);
      const res = await deps.fetch(url, { headers: { accept: 'application/json', ...opts.headers }, signal });
      const text = await res.text();
      const elapsedMs = clock() - started;
      if (res.status === 401 || res.status === 403) {
        throw new PipelineError('PIPE_CRM_API_AUTH', `${what} answered ${res.status}: the CRM refused CRM_API_TOKEN (expired, revoked or wrong). Renew the token and run again; nothing was changed.`);
      }
      if (opts.acceptStatus?.includes(res.status)) return { status: res.status, body: null, elapsedMs, attempts: attempt };
      if (res.status === 429 || res.status >= 500) {
        lastReason = `answered ${res.status}${res.status === 429 ? ' (rate limited)' : ''}`;
        wait = retryAfterMs(res.headers.get('retry-after'), deps.now());
        if (wait !== undefined && wait > policy.maxRetryAfterMs) {
          throw new PipelineError('PIPE_CRM_API_FAILED', `${what} ${lastReason} and asked to wait ${Math.round(wait / 1000)} s (Retry-After), more than the ${Math.round(policy.maxRetryAfterMs / 1000)} s allowed; try again later.`);
        }
      } else if (res.status < 200 || res.status >= 300) {
        throw new PipelineError('PIPE_CRM_API_FAILED', `${what} answered ${res.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
      } else {
        try {
          return { status: res.status, body: JSON.parse(text), elapsedMs, attempts: attempt };
        } catch {
          lastReason = `answered malformed JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''})`;
        }
      }
    } catch (err) {
      if (err instanceof PipelineError) throw err;
      if (opts.signal?.aborted) throw err;
      const e = err as Error;
      lastReason = e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${policy.timeoutMs} ms` : `could not connect (${(e.cause as Error | undefined)?.message ?? e.message})`;
    }
    if (attempt === policy.maxAttempts) break;
    const delayMs = Math.max(backoffDelay(attempt, policy, deps.random), wait ?? 0);
    opts.onRetry?.({ attempt, reason: lastReason, delayMs });
    await deps.sleep(delayMs);
  }
  throw new PipelineError('PIPE_CRM_API_FAILED', `${what} ${lastReason}; gave up after ${policy.maxAttempts} attempt${policy.maxAttempts === 1 ? '' : 's'}. The run stopped and its cursor is unchanged.`);
}

/** A URL without credentials, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname === '/' ? '' : u.pathname}${u.search}`;
  } catch {
    return url;
  }
}
