import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { getReport } from '../../../warehouse/reports/registry.ts';
import { Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

type Weekly = Record<string, unknown> & { week: string };

describe('marts.rpt_service_efficiency_weekly', () => {
  let wh: Warehouse;
  let rows: Map<string, Weekly>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    s.agentNamed('a1', 'Mandy Lau', 'sales');
    s.agentNamed('a2', 'Ivan Ho', 'support');
    // W46: r5 writes and is answered slowly; its ticket is resolved the next week.
    s.inbound('85294000005', '2026-11-13 10:00:00', 'hi');
    s.agent('85294000005', '2026-11-13 10:10:00', 'a2');
    // ... and resolved and reopened in the same second of W46: the reopen wins the tie, so W46 has no resolved conversation.
    s.ticket('resolved', 't-5', '85294000005', '2026-11-13 10:20:00', 'a2');
    s.ticket('reopened', 't-5', '85294000005', '2026-11-13 10:20:00');
    s.ticket('resolved', 't-5', '85294000005', '2026-11-16 10:00:00', 'a2');
    // W47: r1 resolved; r2 resolved then reopened; r3 resolved, reopened, resolved again; r4 never resolved.
    s.inbound('85294000001', '2026-11-16 10:00:00', 'price?');
    s.agent('85294000001', '2026-11-16 10:02:00', 'a1');
    s.ticket('resolved', 't-1', '85294000001', '2026-11-16 10:30:00', 'a1');
    s.inbound('85294000002', '2026-11-17 10:00:00', 'broken');
    s.agent('85294000002', '2026-11-17 10:04:00', 'a1');
    s.ticket('resolved', 't-2', '85294000002', '2026-11-17 11:00:00', 'a1');
    s.ticket('reopened', 't-2', '85294000002', '2026-11-17 12:00:00');
    s.inbound('85294000003', '2026-11-18 10:00:00', 'where is my parcel');
    s.agent('85294000003', '2026-11-18 10:01:00', 'a1');
    s.ticket('resolved', 't-3', '85294000003', '2026-11-18 11:00:00', 'a1');
    s.ticket('reopened', 't-3', '85294000003', '2026-11-18 12:00:00');
    s.ticket('resolved', 't-3', '85294000003', '2026-11-18 13:00:00', 'a1');
    s.inbound('85294000004', '2026-11-19 10:00:00', 'hello?');
    // W48: r2 writes again and is resolved.
    s.inbound('85294000002', '2026-11-24 10:00:00', 'still broken');
    s.agent('85294000002', '2026-11-24 10:01:00', 'a1');
    s.ticket('resolved', 't-2', '85294000002', '2026-11-24 11:00:00', 'a1');
    await s.load();
    expect((await s.build('2026-11-25 12:00:00')).status).toBe('success');
    rows = new Map((await wh.query<Weekly>('select * from marts.rpt_service_efficiency_weekly')).map((r) => [r.week, r]));
  });
  afterAll(closeAllWarehouses);

  it('has a row for every week from the first message to the last', () => {
    expect([...rows.keys()].sort()).toEqual(['2026-W46', '2026-W47', '2026-W48']);
  });

  it('counts a conversation as resolved when its last resolve-or-reopen of the week is a resolve', () => {
    // r1 and r3 of the four conversations with customer messages in W47; r5's resolve has no W47 message
    expect(rows.get('2026-W47')).toMatchObject({ conversations: 4, conversations_resolved: 2, resolution_rate: 0.5, resolution_target: 0.85 });
    expect(rows.get('2026-W46')).toMatchObject({ conversations: 1, conversations_resolved: 0, resolution_rate: 0 });
    expect(rows.get('2026-W48')).toMatchObject({ conversations: 1, conversations_resolved: 1, resolution_rate: 1 });
  });

  it('reports response times against the 3-minute target, unanswered bursts apart', () => {
    // W47 replies: 120, 240, 60 s; r4 unanswered
    expect(rows.get('2026-W47')).toMatchObject({
      bursts: 4, answered_bursts: 3, unanswered_bursts: 1, median_response_seconds: 120, avg_response_seconds: 140,
      response_target_seconds: 180, share_within_target: 0.5, median_first_response_seconds: 120,
    });
  });

  it('lists the agents needing training and the change from the previous week', () => {
    expect(rows.get('2026-W46')).toMatchObject({ agents_needing_training: 1, agents_needing_training_names: ['Ivan Ho'], conversations_change: null });
    expect(rows.get('2026-W47')).toMatchObject({ agents_needing_training: 0, agents_needing_training_names: [], agents_needing_training_change: -1, conversations_change: 3, resolution_rate_change: 0.5, median_response_seconds_change: -480 });
    expect(rows.get('2026-W48')).toMatchObject({ resolution_rate_change: 0.5, unanswered_bursts_change: -1 });
  });

  it('renders the week as a report with targets, last week and the definitions used', async () => {
    const report = getReport('service-efficiency');
    const data = await report.load(wh, '2026-W47');
    expect(data).toMatchObject({ week: '2026-W47', week_start: '2026-11-16', week_end: '2026-11-22' });
    const byKey = Object.fromEntries(data.metrics.map((m) => [m.key, m]));
    expect(byKey.median_response_seconds).toMatchObject({ value: 120, target: 180, previous: 600, change: -480, meets_target: true });
    expect(byKey.resolution_rate).toMatchObject({ value: 0.5, target: 0.85, previous: 0, meets_target: false });
    const md = report.markdown(data);
    expect(md).toContain('# Service efficiency — week 2026-W47 (16 Nov – 22 Nov 2026)');
    expect(md).toContain('| Median response (wall clock) | 2 min | 3 min (met) | 10 min | -8 min |');
    expect(md).toContain('| Resolution rate | 50.0% | 85.0% (missed) | 0.0% | +50.0 pts |');
    expect(md).toContain('**1 went unanswered**');
    expect(md).toContain('The headline uses the wall-clock median');
    expect(md).toMatch(/\| Mandy Lau \| sales \| 3 \| 0 \| 2 min \| 2 min 20 s \|/);
  });

  it('says which weeks exist when asked for one without data', async () => {
    await expect(getReport('service-efficiency').load(wh, '2026-W40')).rejects.toThrow('No service data for week 2026-W40 (the data covers 2026-W46 to 2026-W48).');
    await expect(getReport('service-efficiency').load(wh, '2026-W54')).rejects.toMatchObject({ code: 'WH_REPORT_NO_DATA', exitCode: 2 });
    expect(() => getReport('sales-forecast')).toThrow(/Unknown report "sales-forecast". Reports: service-efficiency/);
  });
});
