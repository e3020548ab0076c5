import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.ts';
import type { ApiApp } from '../../api/app-context.ts';
import type { Clock } from '../../pipelines/clock.ts';
import { bumpDataVersion } from '../../warehouse/data-version.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

// The read-only routes the dashboard reads besides the mart routes: a report over weeks,
// median response by weekday-hour, one keyword's weeks, quarantined records, quality results.

const clock: Clock = { now: () => new Date('2026-11-25T04:00:00Z'), setTimeout: () => ({ id: 0 }), clearTimeout: () => {} };
let wh: Warehouse;
let app: ApiApp;
let locked: ApiApp;

const get = async (path: string, a = app, token?: string) => {
  const res = await a.inject({ method: 'GET', url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> & { rows: Record<string, unknown>[]; error?: { code: string; message: string } } };
};

async function createMarts(w: Warehouse): Promise<void> {
  await w.run(`create table marts.rpt_service_efficiency_weekly as
    select * from (values ('2026-W44', 200.0), ('2026-W45', 190.0), ('2026-W46', 170.0), ('2026-W47', 155.0), ('2026-W48', 120.0)) as v(week, median_response_seconds)`);
  // Mon 14h: 100, 200, 400 answered and one unanswered -> median 200; Tue 9h: 60, 90 -> 75 (mean of the middle two).
  // The W44 row is outside the asked range and must not count.
  await w.run(`create table marts.fct_responses as
    select * from (values
      ('2026-W47', 1, 14, 100.0, true), ('2026-W47', 1, 14, 400.0, true), ('2026-W46', 1, 14, 200.0, true), ('2026-W47', 1, 14, null, false),
      ('2026-W47', 2, 9, 60.0, true), ('2026-W47', 2, 9, 90.0, true),
      ('2026-W44', 2, 9, 9999.0, true)
    ) as v(week, local_weekday, local_hour, response_seconds, is_answered)`);
  await w.run(`create table marts.agg_keywords_weekly as
    select * from (values ('2026-W46', '배송', 10, 8, 0.1), ('2026-W47', '배송', 12, 9, 0.12), ('2026-W47', 'price', 30, 20, 0.3), ('2026-W40', '배송', 1, 1, 0.01)) as v(week, keyword, messages, conversations, share)`);
  await w.run(`create table marts.agg_tags_weekly as
    select * from (values ('2026-W46', 'discount', 5, 0.05), ('2026-W47', 'discount', 9, 0.09), ('2026-W47', 'price', 20, 0.2), ('2026-W47', 'complaint', 0, 0.0)) as v(week, tag, messages, share)`);
  await w.run(`create table marts.agg_agent_response_weekly as
    select * from (values ('a1', '2026-W47', 10, 500.0, true), ('a9', '2026-W47', 3, 100.0, false)) as v(agent_id, week, responses, avg_response_seconds, needs_training)`);
  await w.run(`create table marts.dim_agents as select * from (values ('a1', 'Mandy Lau', 'sales')) as v(agent_id, name, team)`);
  await w.run(`insert into ops.quarantine (run_id, load_id, source, location, line_no, record_id, reason, raw_text, quarantined_at) values
    (1, 1, 'whatsapp-cloud', 'wa-1.ndjson', 3, null, 'phone "12" is not a valid phone number', '{"a":1}', '2026-11-20T01:00:00Z'),
    (1, 1, 'whatsapp-cloud', 'wa-1.ndjson', 9, null, 'phone "345" is not a valid phone number', '{"a":2}', '2026-11-20T02:00:00Z'),
    (1, 1, 'whatsapp-cloud', 'wa-2.ndjson', 1, null, 'invalid JSON', '{oops', '2026-11-20T03:00:00Z'),
    (2, 2, 'scrm-events', 'scrm-1.ndjson', 4, null, 'phone "77" is not a valid phone number', '{"b":1}', '2026-11-20T04:00:00Z')`);
  await w.run(`create table if not exists ops.dq_results (run_at timestamptz, build_id bigint, check_name varchar, level varchar, status varchar, observed double, threshold double, details varchar)`);
  await w.run(`insert into ops.dq_results values
    ('2026-11-20T00:00:00Z', 1, 'old_check', 'error', 'fail', 1, 0, 'from an older build'),
    ('2026-11-21T00:00:00Z', 2, 'b_check', 'error', 'pass', 0, 0, null),
    ('2026-11-21T00:00:00Z', 2, 'a_check', 'warn', 'warn', 30, 24, 'stale'),
    ('2026-11-21T00:00:00Z', 2, 'c_check', 'error', 'fail', 2, 0, 'two orphans')`);
  await w.withConnection(bumpDataVersion);
}

beforeAll(async () => {
  ({ wh } = await tempWarehouse());
  app = await buildApp({ config: wh.config, warehouse: wh, clock, validateResponses: true });
  const other = await tempWarehouse({ PARLEY_TOKENS: 'm-token:manager,a-token:admin' });
  locked = await buildApp({ config: other.config, warehouse: other.wh, clock, validateResponses: true });
});

afterAll(async () => {
  await app?.close();
  await locked?.close();
  await closeAllWarehouses();
});

describe('dashboard routes', () => {
  it('answer 503 API_MART_NOT_BUILT until their marts exist, naming the table', async () => {
    for (const [path, table] of [
      ['/api/reports/service-efficiency/weeks', 'marts.rpt_service_efficiency_weekly'],
      ['/api/metrics/response-heatmap', 'marts.fct_responses'],
      ['/api/metrics/keywords/trend?keyword=x', 'marts.agg_keywords_weekly'],
    ] as const) {
      const { status, body } = await get(path);
      expect(status).toBe(503);
      expect(body.error?.code).toBe('API_MART_NOT_BUILT');
      expect(body.error?.message).toContain(table);
    }
    await createMarts(wh);
  });

  it('give a report over the weeks up to the last complete one, with every week it has', async () => {
    // 2026-11-25 is a Wednesday of W48 in Hong Kong: the last complete week is W47.
    const { status, body } = await get('/api/reports/service-efficiency/weeks?weeks=3');
    expect(status).toBe(200);
    expect(body.rows.map((r) => r.week)).toEqual(['2026-W45', '2026-W46', '2026-W47']);
    expect(body.from_week).toBe('2026-W45');
    expect(body.to_week).toBe('2026-W47');
    expect(body.last_complete_week).toBe('2026-W47');
    expect(body.available_weeks).toEqual(['2026-W44', '2026-W45', '2026-W46', '2026-W47', '2026-W48']);
    const explicit = await get('/api/reports/service-efficiency/weeks?from_week=2026-W47&to_week=2026-W48');
    expect(explicit.body.rows.map((r) => r.median_response_seconds)).toEqual([155, 120]);
    const across = await get('/api/reports/service-efficiency/weeks?weeks=2&to_week=2026-W01');
    expect(across.body.from_week).toBe('2025-W52');
  });

  it('refuse an unknown report kind and a reversed range', async () => {
    expect((await get('/api/reports/nope/weeks')).status).toBe(404);
    expect((await get('/api/reports/service-efficiency/weeks?from_week=2026-W47&to_week=2026-W45')).body.error?.code).toBe('API_BAD_REQUEST');
  });

  it('give the exact median response per weekday-hour over a range, unanswered counted apart', async () => {
    const { body } = await get('/api/metrics/response-heatmap?from_week=2026-W45&to_week=2026-W47');
    expect(body.rows).toEqual([
      { local_weekday: 1, local_hour: 14, responses: 3, unanswered: 1, median_response_seconds: 200 },
      { local_weekday: 2, local_hour: 9, responses: 2, unanswered: 0, median_response_seconds: 75 },
    ]);
  });

  it('give one keyword over a range of weeks', async () => {
    const { body } = await get(`/api/metrics/keywords/trend?keyword=${encodeURIComponent('배송')}&from_week=2026-W45&to_week=2026-W47`);
    expect(body.rows.map((r) => [r.week, r.messages])).toEqual([
      ['2026-W46', 10],
      ['2026-W47', 12],
    ]);
  });

  it('give a week\'s tags, busiest first, or one tag\'s weeks', async () => {
    const week = await get('/api/metrics/tags?from_week=2026-W47&to_week=2026-W47');
    expect(week.body.rows.map((r) => [r.tag, r.messages])).toEqual([
      ['price', 20],
      ['discount', 9],
      ['complaint', 0],
    ]);
    const discount = await get('/api/metrics/tags?from_week=2026-W40&to_week=2026-W47&tag=discount');
    expect(discount.body.rows.map((r) => [r.week, r.share])).toEqual([
      ['2026-W46', 0.05],
      ['2026-W47', 0.09],
    ]);
  });

  it('show quarantined records by source and by the grouped reason of /api/pipelines, newest first', async () => {
    const phones = await get(`/api/pipelines/quarantine?source=whatsapp-cloud&reason=${encodeURIComponent('phone "N" is not a valid phone number')}`);
    expect(phones.body.rows.map((r) => r.line_no)).toEqual([9, 3]);
    expect(phones.body.rows[0]!.raw_text).toBe('{"a":2}');
    const all = await get('/api/pipelines/quarantine?limit=2');
    expect(all.body.rows.map((r) => r.source)).toEqual(['scrm-events', 'whatsapp-cloud']);
  });

  it('show the latest build\'s quality results, failures first', async () => {
    const { body } = await get('/api/quality');
    expect(body.rows.map((r) => [r.check_name, r.status])).toEqual([
      ['c_check', 'fail'],
      ['a_check', 'warn'],
      ['b_check', 'pass'],
    ]);
  });

  it('name agents in the response-times answer (an unknown agent keeps a null name)', async () => {
    const { body } = await get('/api/metrics/response-times?from_week=2026-W47&to_week=2026-W47');
    expect(body.rows.map((r) => [r.agent_id, r.agent_name])).toEqual([
      ['a1', 'Mandy Lau'],
      ['a9', null],
    ]);
  });

  it('tell the dashboard the business timezone in /api/health', async () => {
    expect((await get('/api/health')).body.timezone).toBe('Asia/Hong_Kong');
  });

  it('keep quarantine and quality to admins', async () => {
    for (const path of ['/api/pipelines/quarantine', '/api/quality']) {
      expect((await get(path, locked, 'm-token')).status).toBe(403);
      expect((await get(path, locked)).status).toBe(401);
    }
  });
});
