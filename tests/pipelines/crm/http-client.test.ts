import { describe, expect, it } from 'vitest';
import { backoffDelay, getJson, retryAfterMs, type HttpDeps, type RetryPolicy } from '../../../pipelines/crm/http-client.ts';

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 3000, timeoutMs: 1000, maxRetryAfterMs: 60_000 };

/** A fetch answering from a script, one entry per call, and deps that record the waits instead of waiting. */
function scripted(answers: (() => Response | Promise<Response>)[], random = 0) {
  const waits: number[] = [];
  let calls = 0;
  const deps: HttpDeps = {
    fetch: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)]!;
      calls++;
      return answer();
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => random,
    now: () => Date.parse('2026-11-28T00:00:00Z'),
    clock: () => 0,
  };
  return { deps, waits, calls: () => calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => () => new Response(JSON.stringify(body), { status, headers });

describe('HTTP client', () => {
  it('doubles the backoff per attempt up to the cap, with the upper half jittered', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, POLICY, () => 0))).toEqual([250, 500, 1000, 1500, 1500]);
    expect([1, 2, 3].map((a) => backoffDelay(a, POLICY, () => 0.999999))).toEqual([500, 1000, 2000]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Sat, 28 Nov 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('retries 429 and 5xx, waiting at least what Retry-After asks', async () => {
    const s = scripted([json({}, 429, { 'retry-after': '2' }), json({}, 503), json({ ok: true })]);
    const res = await getJson('http://crm.test/x', { policy: POLICY, deps: s.deps });
    expect(res).toMatchObject({ status: 200, body: { ok: true }, attempts: 3 });
    // attempt 1: max(backoff 250, Retry-After 2000); attempt 2: backoff 500
    expect(s.waits).toEqual([2000, 500]);
  });

  it('gives up after the last attempt with what happened last', async () => {
    const s = scripted([json({}, 500)]);
    await expect(getJson('http://crm.test/crm/v3/objects/deals?limit=2', { policy: POLICY, deps: s.deps })).rejects.toMatchObject({
      code: 'PIPE_CRM_API_FAILED',
      message: 'GET http://crm.test/crm/v3/objects/deals?limit=2 answered 500; gave up after 4 attempts. The run stopped and its cursor is unchanged.',
    });
    expect(s.calls()).toBe(4);
    expect(s.waits).toEqual([250, 500, 1000]);
  });

  it('does not retry a refused token', async () => {
    const s = scripted([json({ message: 'expired' }, 401)]);
    await expect(getJson('http://crm.test/x', { policy: POLICY, deps: s.deps })).rejects.toMatchObject({ code: 'PIPE_CRM_API_AUTH', message: expect.stringMatching(/answered 401: the CRM refused CRM_API_TOKEN/) });
    expect(s.calls()).toBe(1);
  });

  it('retries malformed JSON and says so when it keeps coming', async () => {
    const s = scripted([() => new Response('{"results": [', { status: 200 })]);
    await expect(getJson('http://crm.test/x', { policy: { ...POLICY, maxAttempts: 2 }, deps: s.deps })).rejects.toThrow(/answered malformed JSON \("\{\\"results\\": \["\); gave up after 2 attempts/);
    expect(s.calls()).toBe(2);
  });

  it('ends at once when Retry-After asks for longer than allowed', async () => {
    const s = scripted([json({}, 429, { 'retry-after': '3600' })]);
    await expect(getJson('http://crm.test/x', { policy: POLICY, deps: s.deps })).rejects.toThrow(/asked to wait 3600 s \(Retry-After\), more than the 60 s allowed/);
    expect(s.calls()).toBe(1);
  });

  it('times out an attempt that never answers, then tries again', async () => {
    let calls = 0;
    const deps: HttpDeps = {
      fetch: (_url, init) => {
        calls++;
        if (calls === 2) return Promise.resolve(new Response('{"ok":1}'));
        return new Promise((_resolve, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
      },
      sleep: async () => {},
      random: () => 0,
      now: () => 0,
    };
    const res = await getJson('http://crm.test/x', { policy: { ...POLICY, timeoutMs: 30 }, deps, onRetry: (r) => expect(r.reason).toBe('timed out after 30 ms') });
    expect(res.body).toEqual({ ok: 1 });
    expect(calls).toBe(2);
  });
});
