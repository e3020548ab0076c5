import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../../../pipelines/demo/seed-demo.ts';
import type { Logger } from '../../../pipelines/logger.ts';
import { closeAllWarehouses } from '../../../warehouse/db.ts';
import { tempWarehouse } from '../../helpers/temp-warehouse.ts';

// What `npm start` does on a fresh clone: the default demo (90 days, 2,000 customers) through
// every source and the real build, with every error-level data-quality check passing.
describe('seeding the default demo', () => {
  afterAll(closeAllWarehouses);

  it('loads every source and builds without a failed check, then does nothing the second time', async () => {
    const { wh } = await tempWarehouse();
    const lines: string[] = [];
    const log: Logger = { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
    expect(await seedDemoIfEmpty(wh, log)).toBe(true);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(lines).toContain('info seed build success');
    const failed = await wh.query(`select check_name, details from ops.dq_results where status = 'fail'`);
    expect(failed).toEqual([]);
    // crm-api never ran: its freshness is not the CSV exports' (they share raw.crm_deals)
    expect(await wh.query(`select status from ops.dq_results where check_name = 'freshness:crm-api'`)).toEqual([{ status: 'skipped' }]);
    const [sources] = await wh.query<{ n: number }>(`select count(distinct source) as n from ops.pipeline_runs where status = 'success' and rows_loaded > 0`);
    expect(sources!.n).toBe(4); // whatsapp-cloud, scrm-events, whatsapp-export, crm-csv (crm-api needs CRM_API_URL)
    const [merged] = await wh.query<{ n: number }>(`select count(*) as n from marts.dim_customers where is_merged`);
    expect(merged!.n).toBeGreaterThan(0);
    expect(await seedDemoIfEmpty(wh, log)).toBe(false);
  }, 180_000);
});
