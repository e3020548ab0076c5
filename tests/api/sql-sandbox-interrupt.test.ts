import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxedQuery } from '../../api/sql-sandbox.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

// A time limit or cancel that lands while the query is still being prepared must still stop
// it (an interrupt reaches only an executing statement). 10^13 rows would run for hours.
const SLOW = 'select sum(a.range * b.range) as s from range(100000000) as a, range(100000) as b';

let wh: Warehouse;
beforeAll(async () => {
  ({ wh } = await tempWarehouse());
});
afterAll(async () => {
  await closeAllWarehouses();
});

describe('SQL sandbox interrupts', () => {
  it.each([1, 2, 5, 20])('stops a slow query whose %i ms time limit ends before or during its preparation', async (timeoutMs) => {
    await expect(runSandboxedQuery(wh, SLOW, { timeoutMs })).rejects.toMatchObject({ code: 'API_SQL_TIMEOUT' });
  }, 20_000);

  it('stops a query cancelled by its signal before it ran', async () => {
    const abort = new AbortController();
    const running = runSandboxedQuery(wh, SLOW, { signal: abort.signal, timeoutMs: 60_000 });
    abort.abort();
    await expect(running).rejects.toMatchObject({ code: 'API_SQL_CANCELLED' });
  }, 20_000);

  it('leaves the warehouse usable afterwards', async () => {
    const r = await runSandboxedQuery(wh, 'select 42 as answer');
    expect(r.rows).toEqual([{ answer: 42 }]);
  });
});
