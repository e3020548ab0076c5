import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { buildOnly, createAllTables, replaceRows } from '../../helpers/mart-rows.ts';
import { serviceWarehouse } from '../../helpers/service-scenario.ts';

/** Customer messages on `dates` (YYYY-MM-DD, at noon HKT) with one sentiment. */
function messages(customer: string, dates: readonly string[], sentiment: number): Record<string, unknown>[] {
  return dates.map((d, i) => ({
    message_id: `${customer}-${d}-${i}`,
    conversation_id: `1098765:+${customer}`,
    customer_id: customer,
    direction: 'inbound',
    sender_kind: 'customer',
    sent_at: `${d} 12:00:00+08`,
    local_date: d,
    sentiment,
  }));
}

/** `perWeek` dates (Sunday, Saturday, ...) in each of `weeks` weeks from the Monday `firstMonday`. */
function weekly(firstMonday: string, weeks: number, perWeek: number): string[] {
  const out: string[] = [];
  for (let w = 0; w < weeks; w++) for (let i = 0; i < perWeek; i++) out.push(new Date(Date.parse(`${firstMonday}T00:00:00Z`) + (w * 7 + 6 - i) * 86_400_000).toISOString().slice(0, 10));
  return out;
}

describe('churn scoring', () => {
  let wh: Warehouse;
  type Score = { customer_id: string; as_of_date: string; baseline_weekly_rate: number; recent_weekly_rate: number; recent_sentiment: number; trend_per_week: number; score: number; risk: string; recommended_action: string; meets_churn_rule: boolean; last_flagged_date: string | null; came_back_after_flag: boolean | null };
  let scores: Map<string, Score>;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    await createAllTables(wh);
    // The data ends on Sunday 22 Nov 2026: the current snapshot is Monday 23 Nov. Weeks 5-12
    // back are the 8 weeks from Monday 31 Aug, the last 4 weeks start on Monday 26 Oct.
    const rows = [
      // 3 messages a week, then 1 a week with sentiment 0.29: the rule says high
      ...messages('c_high', weekly('2026-08-31', 8, 3), 0.5),
      ...messages('c_high', weekly('2026-10-26', 4, 1), 0.29),
      // the same with sentiment 0.31: not high
      ...messages('c_edge', weekly('2026-08-31', 8, 3), 0.5),
      ...messages('c_edge', weekly('2026-10-26', 4, 1), 0.31),
      // steady 3 a week throughout
      ...messages('c_steady', weekly('2026-08-31', 12, 3), 0.6),
      // flagged at the snapshot of Monday 12 Oct (3 a week from 20 Jul, then 1 a week unhappy),
      // then back on 20 Oct, within 30 days
      ...messages('c_back', weekly('2026-07-20', 8, 3), 0.5),
      ...messages('c_back', weekly('2026-09-14', 4, 1), 0.2),
      ...messages('c_back', ['2026-10-20'], 0.6),
      // flagged at the same snapshot, then silent for good
      ...messages('c_gone', weekly('2026-07-20', 8, 3), 0.5),
      ...messages('c_gone', weekly('2026-09-14', 4, 1), 0.2),
    ];
    await replaceRows(wh, 'marts.fct_messages', rows);
    await buildOnly(wh, ['marts.agg_churn_weekly', 'marts.churn_scores', 'marts.agg_churn_backtest_weekly']);
    scores = new Map(
      (await wh.query<Score>(`select * replace (cast(as_of_date as varchar) as as_of_date, cast(last_flagged_date as varchar) as last_flagged_date) from marts.churn_scores`)).map((s) => [s.customer_id, s]),
    );
  });
  afterAll(closeAllWarehouses);

  it('flags a fall from 3 to 1 a week with recent sentiment 0.29 as high, with a recovery offer', () => {
    const s = scores.get('c_high')!;
    expect(s).toMatchObject({ as_of_date: '2026-11-23', baseline_weekly_rate: 3, recent_weekly_rate: 1, meets_churn_rule: true, risk: 'high' });
    expect(s.recent_sentiment).toBeCloseTo(0.29, 10);
    expect(s.recommended_action).toMatch(/recovery offer: 15% off/);
  });

  it('does not flag the same fall with recent sentiment 0.31 as high', () => {
    const s = scores.get('c_edge')!;
    expect(s).toMatchObject({ baseline_weekly_rate: 3, recent_weekly_rate: 1, meets_churn_rule: false, risk: 'medium' });
    // slope of [3 x8, 1 x4] = -32/143; score = 0.5 * 2/3 + 0.3 * 0.38 + 0.2 * min(1, 32/143 * 11 / 3)
    expect(s.trend_per_week).toBeCloseTo(-32 / 143, 6);
    expect(s.score).toBeCloseTo(0.5 * (2 / 3) + 0.3 * 0.38 + 0.2 * ((32 / 143) * 11) / 3, 4);
  });

  it('leaves a steady customer low', () => {
    expect(scores.get('c_steady')).toMatchObject({ baseline_weekly_rate: 3, recent_weekly_rate: 3, risk: 'low', score: 0 });
  });

  it('remembers an earlier flag and whether the customer came back within 30 days', () => {
    expect(scores.get('c_back')).toMatchObject({ last_flagged_date: '2026-10-12', came_back_after_flag: true, risk: 'medium' }); // quiet again since 20 Oct
    // still active (wrote within 12 weeks), high again; its latest flag is too recent to know the outcome
    expect(scores.get('c_gone')).toMatchObject({ risk: 'high', last_flagged_date: '2026-11-16', came_back_after_flag: null });
  });

  it('backtests the flag: precision, recall and recovery of the 12 Oct snapshot', async () => {
    const [row] = await wh.query(`select * exclude (as_of_date) from marts.agg_churn_backtest_weekly where week = '2026-W41'`);
    // active then: c_back and c_gone (flagged), c_high, c_edge and c_steady (writing 3 a week)
    expect(row).toEqual({
      week: '2026-W41',
      active_customers: 5,
      flagged_high: 2,
      flagged_medium: 0,
      went_silent: 1,
      flagged_and_silent: 1,
      flagged_and_came_back: 1,
      precision: 0.5,
      recall: 1,
      recovery_rate: 0.5,
    });
  });
});
