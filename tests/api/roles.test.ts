import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/app-context.ts';
import { authenticate, isLoopback, roleAllowed } from '../../api/auth.ts';
import { checkBind } from '../../api/server.ts';
import type { Role } from '../../config/config.ts';
import { closeAllWarehouses } from '../../warehouse/db.ts';
import { as, json, testApp, TOKENS } from '../helpers/api-app.ts';
import { tempConfig } from '../helpers/temp-warehouse.ts';

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * Every API route, who may call it (admin always may), and a request that is valid for it.
 * A route added without a line here fails the "covers every route" test.
 */
const MATRIX: { method: Method; path: string; url: string; roles: Role[]; payload?: unknown }[] = [
  { method: 'GET', path: '/api/health', url: '/api/health', roles: ['manager', 'scheduler', 'analyst'] },
  { method: 'POST', path: '/api/sql', url: '/api/sql', roles: ['analyst'], payload: { sql: 'select 1 as one' } },
  { method: 'DELETE', path: '/api/sql/{id}', url: '/api/sql/no-such-query', roles: ['analyst'] },
  { method: 'GET', path: '/api/schema', url: '/api/schema', roles: ['analyst'] },
  { method: 'GET', path: '/api/pipelines', url: '/api/pipelines', roles: [] },
  { method: 'POST', path: '/api/pipelines/{name}/run', url: '/api/pipelines/build/run?wait=true', roles: [], payload: {} },
  { method: 'GET', path: '/api/reports/archive', url: '/api/reports/archive', roles: ['manager'] },
  { method: 'GET', path: '/api/reports/archive/{week}/{file}', url: '/api/reports/archive/2026-W47/sales-funnel.md', roles: ['manager'] },
  { method: 'GET', path: '/api/reports/{kind}', url: '/api/reports/service-efficiency?week=2026-W47', roles: ['manager'] },
  { method: 'GET', path: '/api/reports/{kind}/data', url: '/api/reports/service-efficiency/data?week=2026-W47', roles: ['manager'] },
  { method: 'POST', path: '/api/erase', url: '/api/erase', roles: [], payload: { phone: '+85298765432' } },
  { method: 'GET', path: '/api/metrics/response-times', url: '/api/metrics/response-times', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/metrics/keywords', url: '/api/metrics/keywords', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/metrics/heatmap', url: '/api/metrics/heatmap', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/metrics/funnel', url: '/api/metrics/funnel', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/staffing', url: '/api/staffing?target_seconds=180', roles: ['scheduler'] },
  { method: 'GET', path: '/api/churn', url: '/api/churn?risk=high', roles: ['manager'] },
  { method: 'GET', path: '/api/customers/{id}', url: '/api/customers/c-1', roles: ['manager'] },
  // Read by the dashboard (api/marts/registry.ts DASHBOARD_MART_ROUTES).
  { method: 'GET', path: '/api/reports/{kind}/weeks', url: '/api/reports/service-efficiency/weeks?weeks=4', roles: ['manager'] },
  { method: 'GET', path: '/api/metrics/response-heatmap', url: '/api/metrics/response-heatmap', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/metrics/keywords/trend', url: '/api/metrics/keywords/trend?keyword=price', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/metrics/tags', url: '/api/metrics/tags?tag=discount', roles: ['manager', 'scheduler'] },
  { method: 'GET', path: '/api/pipelines/quarantine', url: '/api/pipelines/quarantine?limit=5', roles: [] },
  { method: 'GET', path: '/api/quality', url: '/api/quality', roles: [] },
];

const ROLES: Role[] = ['manager', 'scheduler', 'analyst', 'admin'];

describe('roles', () => {
  let app: ApiApp;
  beforeAll(async () => {
    ({ app } = await testApp());
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await closeAllWarehouses();
  });

  it('covers every API route of the OpenAPI document', () => {
    const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
    const routes = Object.entries(paths)
      .filter(([p]) => p.startsWith('/api/'))
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(routes).toEqual(MATRIX.map((r) => `${r.method} ${r.path}`).sort());
  });

  describe.each(MATRIX)('$method $path', (route) => {
    it.each(ROLES)('as %s', async (role) => {
      const r = await app.inject({ method: route.method, url: route.url, headers: as(role), payload: route.payload as never });
      if (role === 'admin' || route.roles.includes(role)) {
        expect([401, 403], r.body).not.toContain(r.statusCode);
        // Mart routes answer 503 until their marts are built; nothing else may fail on the server side.
        if (r.statusCode >= 500) expect(json(r).error.code, r.body).toBe('API_MART_NOT_BUILT');
      } else {
        expect(r.statusCode).toBe(403);
        expect(json(r).error.code).toBe('API_FORBIDDEN');
      }
    });

    it('without a token, or with an unknown one', async () => {
      const none = await app.inject({ method: route.method, url: route.url, payload: route.payload as never });
      expect(none.statusCode).toBe(401);
      expect(json(none).error.code).toBe('API_UNAUTHORIZED');
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const wrong = await app.inject({ method: route.method, url: route.url, headers: { authorization: 'Bearer not-a-token' }, payload: route.payload as never });
      expect(wrong.statusCode).toBe(401);
    });
  });

  it('leaves the webhook, the docs and the dashboard page public', async () => {
    for (const url of ['/docs/json', '/']) expect((await app.inject({ url })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/webhooks/whatsapp', payload: '{}' })).statusCode).toBe(401);
  });
});

describe('tokens', () => {
  const tokens = new Map<string, Role>([[TOKENS.analyst, 'analyst'], [TOKENS.manager, 'manager']]);

  it('finds the role of a bearer token and labels the actor without the token', () => {
    const p = authenticate(tokens, `Bearer ${TOKENS.analyst}`);
    expect(p).toMatchObject({ role: 'analyst' });
    expect((p as { actor: string }).actor).toMatch(/^analyst:[0-9a-f]{8}$/);
    expect(JSON.stringify(p)).not.toContain(TOKENS.analyst);
  });

  it.each([
    [undefined, 'missing'],
    ['Basic abc', 'missing'],
    [`Bearer ${TOKENS.analyst}x`, 'invalid'],
    [`Bearer ${TOKENS.analyst.slice(0, -1)}`, 'invalid'],
  ])('refuses %s', (header, outcome) => {
    expect(authenticate(tokens, header)).toBe(outcome);
  });

  it('makes everyone admin when no tokens are set, and admin passes every role check', () => {
    expect(authenticate(new Map(), undefined)).toEqual({ role: 'admin', actor: 'open' });
    expect(roleAllowed('admin', ['manager'])).toBe(true);
    expect(roleAllowed('analyst', ['manager'])).toBe(false);
  });

  it('refuses to listen beyond loopback without tokens, and says why', () => {
    const open = tempConfig().config;
    expect(() => checkBind(open, '127.0.0.1')).not.toThrow();
    expect(() => checkBind(open, 'localhost')).not.toThrow();
    expect(() => checkBind(open, '0.0.0.0')).toThrow(/Refusing to listen on 0\.0\.0\.0 without tokens: .*Set PARLEY_TOKENS=token:role/);
    expect(() => checkBind({ tokens }, '0.0.0.0')).not.toThrow();
    expect([isLoopback('::1'), isLoopback('127.0.0.2'), isLoopback('10.0.0.1')]).toEqual([true, true, false]);
  });
});
