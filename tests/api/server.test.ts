import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, readServerLock } from '../../api/server-lock.ts';
import { startServer, type RunningServer } from '../../api/server.ts';
import { runningQueryIds } from '../../api/sql-sandbox.ts';
import { parseWithDates } from '../../cli/server-client.ts';
import { PROJECT_ROOT, type Config } from '../../config/config.ts';
import { isParleyError } from '../../config/parley-error.ts';
import { closeAllWarehouses, openWarehouse } from '../../warehouse/db.ts';
import { API_ENV, TOKENS } from '../helpers/api-app.ts';
import { FIXTURES, tempConfig } from '../helpers/temp-warehouse.ts';

/** Runs the real `parley` binary in a child process (the CLI as a user runs it). */
function parley(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'parley.js'), ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, cwd: PROJECT_ROOT }, (err, out, errOut) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut });
    });
  });
}

const silent = pino({ level: 'silent' });

describe('parley serve', () => {
  let server: RunningServer;
  let config: Config;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ dir, config } = tempConfig(API_ENV));
    env = { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir };
    server = await startServer({ config, port: 0, demo: false, logger: silent, dashboardDir: path.join(dir, 'no-dashboard') });
  });
  afterAll(async () => {
    await server.close();
    await closeAllWarehouses();
  });

  it('listens on loopback and writes its lock file with pid and URL', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(readServerLock(config)).toMatchObject({ pid: process.pid, url: server.url });
    const health = await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${TOKENS.manager}` } });
    expect(health.status).toBe(200);
    expect((await health.json()) as object).toMatchObject({ status: 'ok', scheduler: [{ name: 'pipelines' }, { name: 'weekly-reports' }] });
    const page = await fetch(`${server.url}/`);
    expect(await page.text()).toContain('The dashboard has not been built');
  });

  it('lets the CLI go through the API instead of the locked file', async () => {
    const [ingest, sql, status] = await Promise.all([
      parley(['ingest', 'whatsapp-cloud', '--path', path.join(FIXTURES, 'whatsapp-cloud', 'all-types.ndjson')], { ...env, PARLEY_TOKEN: TOKENS.admin }),
      parley(['sql', 'select 40 + 2 as answer', '--format', 'json'], { ...env, PARLEY_TOKEN: TOKENS.analyst }),
      parley(['status'], { ...env, PARLEY_TOKEN: TOKENS.admin }),
    ]);
    expect(ingest.code, ingest.err).toBe(0);
    expect(ingest.err).toContain(`whatsapp-cloud: running on parley serve at ${server.url}`);
    expect(ingest.err).toMatch(/whatsapp-cloud: read 16, loaded 16, quarantined 0/);
    expect([sql.code, JSON.parse(sql.out)]).toEqual([0, [{ answer: 42 }]]);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toContain(`served by parley serve at ${server.url} (pid ${process.pid})`);
    expect(status.out).toMatch(/scheduler \(Asia\/Hong_Kong\):/);
  });

  it('builds, reports and erases through the API too', async () => {
    const build = await parley(['build'], { ...env, PARLEY_TOKEN: TOKENS.admin });
    expect(build.code, build.err).toBe(0);
    expect(build.err).toContain(`build: running on parley serve at ${server.url}`);
    // the fixture's messages are from 27 November 2024: ISO week 2024-W48
    const report = await parley(['report', 'service-efficiency', '--week', '2024-W48', '--format', 'json'], { ...env, PARLEY_TOKEN: TOKENS.manager });
    expect(report.code, report.err).toBe(0);
    const data = JSON.parse(report.out) as { kind: string; week: string; week_start: string; metrics: { key: string; value: number | null }[] };
    expect([data.kind, data.week, data.week_start]).toEqual(['service-efficiency', '2024-W48', '2024-11-25']);
    expect(data.metrics.find((m) => m.key === 'inbound_messages')?.value).toBeGreaterThan(0);
    const md = await parley(['report', 'service-efficiency', '--week', '2024-W48'], { ...env, PARLEY_TOKEN: TOKENS.manager });
    expect(md.out).toMatch(/^# Service efficiency — week 2024-W48 \(25 Nov – 1 Dec 2024\)/);
    const missing = await parley(['report', 'service-efficiency', '--week', '2024-W30'], { ...env, PARLEY_TOKEN: TOKENS.manager });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/No service data for week 2024-W30/);
    // a number nobody used: the erasure runs on the server and says it found nothing
    const erase = await parley(['erase', '--phone', '+852 9876 5432'], { ...env, PARLEY_TOKEN: TOKENS.admin });
    expect(erase.code, erase.err).toBe(0);
    expect(erase.out).toContain('nothing in the warehouse mentioned that number');
    const bad = await parley(['erase', '--phone', 'not a phone'], { ...env, PARLEY_TOKEN: TOKENS.admin });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('is not a valid phone number');
    const forbidden = await parley(['erase', '--phone', '+85298765432'], { ...env, PARLEY_TOKEN: TOKENS.manager });
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toMatch(/this token's role is manager/);
  });

  it('says which token the CLI needs when its role does not fit', async () => {
    const r = await parley(['sql', 'select 1'], { ...env, PARLEY_TOKEN: TOKENS.manager });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^parley sql: This route is for analyst \(and admin\); this token's role is manager\. \(the CLI sends PARLEY_TOKEN to the running server at http/);
  });

  it('cancels the query of a client that goes away', async () => {
    const gone = new AbortController();
    const request = fetch(`${server.url}/api/sql`, {
      method: 'POST',
      signal: gone.signal,
      headers: { authorization: `Bearer ${TOKENS.analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'select sum(a.range * b.range) from range(1000000) as a, range(1000000) as b', query_id: 'q-gone', timeout_ms: 120_000 }),
    }).catch((err: Error) => err.name);
    while (!runningQueryIds().includes('q-gone')) await new Promise((r) => setImmediate(r));
    gone.abort();
    expect(await request).toBe('AbortError');
    // The audit row is written as the query ends.
    const wh = await openWarehouse(config);
    let rows: { status: string }[] = [];
    while (rows.length === 0) rows = await wh.query<{ status: string }>(`select status from ops.sql_audit where query_id = 'q-gone'`);
    expect(rows).toEqual([{ status: 'cancelled' }]);
    expect(runningQueryIds()).toEqual([]);
  });

  it('refuses a second server on the same data folder', async () => {
    const second = await startServer({ config, port: 0, demo: false, logger: silent }).catch((err: unknown) => err);
    expect(isParleyError(second, 'API_SERVER_RUNNING')).toBe(true);
    expect((second as Error).message).toContain(`pid ${process.pid}`);
  });

  it('stops gracefully: finishes the request in flight, removes the lock, closes the warehouse', async () => {
    const inFlight = fetch(`${server.url}/api/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.analyst}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'select count(*) as n from range(400000000) as t(i) where i % 7 = 0', query_id: 'q-last' }),
    });
    while (!runningQueryIds().includes('q-last')) await new Promise((r) => setImmediate(r));
    await server.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // Multiples of 7 in 0 .. 399,999,999: floor(399,999,999 / 7) + 1.
    expect(((await answer.json()) as { rows: unknown[] }).rows).toEqual([{ n: 57_142_858 }]);
    expect(fs.existsSync(lockPath(config))).toBe(false);
    const wh = await openWarehouse(config);
    expect((await wh.query<{ n: number }>('select count(*) as n from raw.whatsapp_payloads'))[0]!.n).toBe(16);
    await wh.close();
  });
});

describe('the CLI without a live server', () => {
  it('ignores a stale lock whose process is gone, and opens the file itself', async () => {
    const { config } = tempConfig();
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(lockPath(config), JSON.stringify({ pid: dead, url: 'http://127.0.0.1:9', startedAt: '2026-11-23T00:00:00Z' }));
    const r = await parley(['sql', 'select 1 as one', '--format', 'csv'], { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir });
    expect([r.code, r.out]).toEqual([0, 'one\n1\n']);
  });

  it('refuses to serve beyond loopback without tokens (exit 2, with the reason)', async () => {
    const { config } = tempConfig();
    const r = await parley(['serve', '--host', '0.0.0.0', '--no-demo'], { PARLEY_DB: config.dbPath, PARLEY_LANDING: config.landingDir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^parley serve: Refusing to listen on 0\.0\.0\.0 without tokens/);
  });

  it('revives timestamps in the answers it renders', () => {
    expect(parseWithDates<{ at: Date; s: string }>('{"at":"2026-11-23T00:00:00.000Z","s":"2026-W47"}')).toEqual({ at: new Date('2026-11-23T00:00:00Z'), s: '2026-W47' });
  });
});
