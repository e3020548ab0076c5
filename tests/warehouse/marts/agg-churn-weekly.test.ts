import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/write-demo.ts';
import { runAll } from '../../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { parseModel } from '../../../warehouse/model-files.ts';
import { render } from '../../../warehouse/model-runner.ts';
import { modelVars } from '../../../warehouse/model-vars.ts';
import { FIXTURES, tempWarehouse } from '../../helpers/temp-warehouse.ts';

type Row = Record<string, unknown>;

/**
 * Doubles to 9 decimals: sums of sentiment differ in the last bits with the order rows are
 * added in. A flat trend is 0 in SQL and may be -0 from the JS regression (they compare equal).
 */
const canonical = (rows: Row[]) =>
  rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e9) / 1e9 : v === 0 ? 0 : v])));

// The rewrite reads only the blocks that have messages instead of a 12-block grid per
// customer and snapshot; on two months of demo data it must give the grid's rows.
describe('marts.agg_churn_weekly against its grid formulation', () => {
  let wh: Warehouse;
  let current: Row[];
  let grid: Row[];

  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    writeDemo({ days: 70, customers: 150, seed: 11, end: '2026-11-22', tz: 'Asia/Hong_Kong' }, wh.config.landingDir);
    expect((await runAll(wh, { trigger: 'test', now: () => new Date('2026-11-23T12:00:00Z') })).build?.status).toBe('success');
    const order = 'order by customer_id, as_of_date';
    current = canonical(await wh.query<Row>(`select * from marts.agg_churn_weekly ${order}`));
    const sql = render(parseModel('marts', path.join(FIXTURES, 'models', 'agg_churn_weekly_grid.sql')), { ...modelVars(wh.config), since_load_id: '0' });
    grid = canonical(await wh.query<Row>(`select * from (${sql}) ${order}`));
  }, 240_000);
  afterAll(closeAllWarehouses);

  it('has the same customers and snapshots, with baseline weeks among them', () => {
    expect(current.length).toBeGreaterThan(500);
    expect(current.some((r) => Number(r.baseline_weeks) > 0 && Number(r.recent_weeks) === 4)).toBe(true);
    expect(current.map((r) => `${r.customer_id} ${String(r.as_of_date)}`)).toEqual(grid.map((r) => `${r.customer_id} ${String(r.as_of_date)}`));
  });

  it('gives every column the same value (a score rounded to 4 decimals may differ by its last digit)', () => {
    for (const [i, row] of current.entries()) {
      const { score, ...rest } = row;
      const { score: gridScore, ...gridRest } = grid[i]!;
      expect(rest).toEqual(gridRest);
      expect(Math.abs(Number(score) - Number(gridScore))).toBeLessThanOrEqual(0.0001 + 1e-12);
    }
  });
});
