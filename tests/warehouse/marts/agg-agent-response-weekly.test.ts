import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

type Weekly = {
  agent_id: string;
  week: string;
  responses: number;
  unanswered: number;
  median_response_seconds: number | null;
  p90_response_seconds: number | null;
  avg_response_seconds: number | null;
  share_within_target: number;
  needs_training: boolean;
};

/** One conversation per response: a customer message at `local` answered `seconds` later by `agent`. */
function answered(s: Scenario, n: number, agent: string, seconds: number, day = '2026-11-17'): void {
  const waId = `8529200${String(n).padStart(4, '0')}`;
  const at = new Date(Date.parse(`${day}T10:00:00+08:00`) + n * 60_000);
  const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 23);
  s.inbound(waId, local(at.getTime()), 'how much?');
  s.agent(waId, local(at.getTime() + seconds * 1000), agent);
}

describe('marts.agg_agent_response_weekly', () => {
  let wh: Warehouse;
  let rows: Map<string, Weekly>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    let n = 0;
    for (const sec of [60, 120, 300]) answered(s, ++n, 'x1', sec); // odd count
    for (const sec of [600, 60, 300, 120]) answered(s, ++n, 'x2', sec); // even count
    for (const sec of [300, 420]) answered(s, ++n, 'x3', sec); // average exactly 6 minutes
    for (const sec of [300, 422]) answered(s, ++n, 'x4', sec); // average 6 min 1 s
    answered(s, ++n, 'x1', 1000, '2026-11-24'); // the next week
    // An unanswered burst assigned to x1: counted as unanswered, not as a zero-second reply.
    s.inbound('85293000001', '2026-11-17 11:00:00', 'hello?');
    s.ticket('assigned', 't-9', '85293000001', '2026-11-17 11:00:10', 'x1');
    await s.load();
    expect((await s.build('2026-11-25 12:00:00')).status).toBe('success');
    rows = new Map((await wh.query<Weekly>('select * from marts.agg_agent_response_weekly')).map((r) => [`${r.agent_id} ${r.week}`, r]));
  });
  afterAll(closeAllWarehouses);

  it('computes exact medians: the middle value for odd counts, the mean of the two middle ones for even counts', () => {
    expect(rows.get('x1 2026-W47')).toMatchObject({ responses: 3, median_response_seconds: 120, avg_response_seconds: 160 });
    expect(rows.get('x2 2026-W47')).toMatchObject({ responses: 4, median_response_seconds: 210, avg_response_seconds: 270 });
  });

  it('computes p90 by linear interpolation between the ranked responses', () => {
    // ranks 60, 120, 300: position 0.9 x 2 = 1.8 -> 120 + 0.8 x 180
    expect(rows.get('x1 2026-W47')!.p90_response_seconds).toBeCloseTo(264, 9);
    // ranks 60, 120, 300, 600: position 2.7 -> 300 + 0.7 x 300
    expect(rows.get('x2 2026-W47')!.p90_response_seconds).toBeCloseTo(510, 9);
  });

  it('counts unanswered bursts for the assigned agent without touching the times', () => {
    expect(rows.get('x1 2026-W47')).toMatchObject({ unanswered: 1, responses: 3 });
    // within 3 minutes: 60 and 120 of the 4 bursts (the unanswered one is not within)
    expect(rows.get('x1 2026-W47')!.share_within_target).toBe(0.5);
  });

  it('flags needs_training only when the weekly average is over 6 minutes', () => {
    expect(rows.get('x3 2026-W47')).toMatchObject({ avg_response_seconds: 360, needs_training: false });
    expect(rows.get('x4 2026-W47')).toMatchObject({ avg_response_seconds: 361, needs_training: true });
    expect(rows.get('x1 2026-W48')).toMatchObject({ responses: 1, median_response_seconds: 1000, needs_training: true });
  });

  it('computes medians at the grain they are read: the weekly report is not a median of agent medians', async () => {
    // the agents' medians are 120, 210, 360 and 361 (their median would be 285); the report takes all responses
    const [row] = await wh.query<{ median_response_seconds: number; bursts: number; unanswered_bursts: number }>(
      `select median_response_seconds, bursts, unanswered_bursts from marts.rpt_service_efficiency_weekly where week = '2026-W47'`,
    );
    // 11 answered values sorted: 60, 60, 120, 120, 300, 300, 300, 300, 420, 422, 600 -> the 6th is 300
    expect(row).toEqual({ median_response_seconds: 300, bursts: 12, unanswered_bursts: 1 });
  });
});
