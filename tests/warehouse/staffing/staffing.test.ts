import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { agentsNeeded } from '../../../warehouse/staffing/erlang-c.ts';
import { staffingPlan } from '../../../warehouse/staffing/staffing.ts';
import { Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

type Cell = { local_weekday: number; local_hour: number; avg_inbound_bursts: number; avg_agents_replying: number; agents_needed: number; aht_seconds: number; aht_source: string; weeks_averaged: number; from_week: string; to_week: string; is_short: boolean; agents_short: number };

describe('staffing (marts.agg_staffing_hourly)', () => {
  let wh: Warehouse;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse({ staffing: { target_seconds: 180, target_share: 0.9, weeks: 2, aht_seconds: null, fallback_aht_seconds: 150, aht_max_gap_seconds: 600, aht_min_samples: 3 } }));
    const s = new Scenario(wh);
    // Tuesdays 10:00-11:00 of W46 and W47: 6 and 2 bursts, all answered by a1 four minutes
    // apart (its reply-to-reply gaps: 240 s while busy); W48 (the running week) is left out.
    let n = 0;
    const tuesday = (day: string, count: number) => {
      for (let i = 0; i < count; i++) {
        const waId = `8529500${String(++n).padStart(4, '0')}`;
        s.inbound(waId, `${day} 10:0${i}:00`, 'hi');
        s.agent(waId, `${day} 10:${String(4 * i + 2).padStart(2, '0')}:00`, 'a1');
      }
    };
    tuesday('2026-11-10', 6);
    tuesday('2026-11-17', 2);
    // W47 Wednesday 15:00: one burst answered by a1 and one by a2.
    s.inbound('85295100001', '2026-11-18 15:00:00', 'hi');
    s.agent('85295100001', '2026-11-18 15:01:00', 'a1');
    s.inbound('85295100002', '2026-11-18 15:00:30', 'hi');
    s.agent('85295100002', '2026-11-18 15:02:00', 'a2');
    // W48 (running): a burst on Tuesday 10:00 that must not count.
    s.inbound('85295200001', '2026-11-24 10:00:00', 'hi');
    await s.load();
    expect((await s.build('2026-11-24 12:00:00')).status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('averages bursts and replying agents per weekday-hour over the last complete weeks', async () => {
    const cells = await wh.query<Cell>('select * from marts.agg_staffing_hourly order by local_weekday, local_hour');
    expect(cells).toHaveLength(168);
    const tue10 = cells.find((c) => c.local_weekday === 2 && c.local_hour === 10)!;
    expect(tue10).toMatchObject({ weeks_averaged: 2, from_week: '2026-W46', to_week: '2026-W47', avg_inbound_bursts: 4, avg_agents_replying: 1 });
    const wed15 = cells.find((c) => c.local_weekday === 3 && c.local_hour === 15)!;
    expect(wed15).toMatchObject({ avg_inbound_bursts: 1, avg_agents_replying: 1 });
    expect(cells.find((c) => c.local_weekday === 7 && c.local_hour === 3)).toMatchObject({ avg_inbound_bursts: 0, agents_needed: 0, is_short: false });
  });

  it('measures the handling time from the gaps between an agent\'s replies while busy', async () => {
    const [cell] = await wh.query<Cell>('select * from marts.agg_staffing_hourly limit 1');
    // a1's replies: 5 gaps of 240 s in W46, 1 of 240 s in W47; the 15:01 reply is hours later
    expect(cell).toMatchObject({ aht_seconds: 240, aht_source: 'measured' });
  });

  it('applies Erlang C per hour and marks hours where fewer agents replied than needed', async () => {
    const [tue10] = await wh.query<Cell>('select * from marts.agg_staffing_hourly where local_weekday = 2 and local_hour = 10');
    // 4 bursts x 240 s = 0.267 Erlangs: one agent answers 84.6% within 3 minutes, two 99.1%; the target is 90%
    expect(agentsNeeded({ arrivalsPerHour: 4, ahtSeconds: 240, targetSeconds: 180, targetShare: 0.9 }).agents).toBe(2);
    expect(agentsNeeded({ arrivalsPerHour: 4, ahtSeconds: 240, targetSeconds: 180, targetShare: 0.8 }).agents).toBe(1);
    expect(tue10).toMatchObject({ agents_needed: 2, agents_short: 1, is_short: true });
  });

  it('recomputes the plan with other targets and handling times on request', async () => {
    const plan = await staffingPlan(wh, { targetSeconds: 60, targetShare: 0.95, ahtSeconds: 600 });
    expect(plan).toMatchObject({ ahtSeconds: 600, ahtSource: 'given', targetSeconds: 60, targetShare: 0.95, weeksUsed: ['2026-W46', '2026-W47'] });
    const tue10 = plan.rows.find((r) => r.local_weekday === 2 && r.local_hour === 10)!;
    // 0.667 Erlangs: two agents answer 85.4% within a minute, three 97.4%
    expect(tue10.agents_needed).toBe(3);
    await expect(staffingPlan(wh, { targetShare: 1.5 })).rejects.toMatchObject({ code: 'WH_STAFFING_INVALID', httpStatus: 400 });
    await expect(staffingPlan(wh, { ahtSeconds: -3 })).rejects.toThrow(/aht_seconds must be a number above 0/);
  });
});
