import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../pipelines/loader.ts';
import type { Batch, Source } from '../../pipelines/source.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A source that yields the given batches, then throws if asked to. */
function fakeSource(batches: Batch[], failAfter?: number): Source {
  return {
    name: 'fake',
    description: 'test source',
    async *read(ctx) {
      for (const [i, b] of batches.entries()) {
        if (failAfter !== undefined && i === failAfter) throw new Error(`source broke at batch ${i} (cursor was ${ctx.cursor('k') ?? 'unset'})`);
        yield b;
      }
    },
  };
}

const batch = (ids: string[], cursor: string, bad: string[] = []): Batch => ({
  rows: { 'raw.scrm_events': ids.map((id, i) => ['fake.ndjson', i + 1, 'agent.upserted', '2026-11-01T00:00:00Z', null, JSON.stringify({ id })]) },
  quarantine: bad.map((b, i) => ({ location: 'fake.ndjson', lineNo: 100 + i, reason: 'bad', rawText: b })),
  read: ids.length + bad.length,
  cursors: { k: cursor },
  counters: { fake_counter: 1 },
});

describe('loader', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('commits each batch with its quarantine, cursor, load record and run totals', async () => {
    const result = await runSource(wh, fakeSource([batch(['a', 'b'], 'c1', ['x']), batch(['c'], 'c2')]), { trigger: 'test' });
    expect(result).toMatchObject({ status: 'success', rowsRead: 4, rowsLoaded: 3, rowsQuarantined: 1, batches: 2, counters: { fake_counter: 2 } });
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'fake' and cursor_key = 'k'`)).toEqual([{ cursor_value: 'c2' }]);
    const loads = await wh.query<{ load_id: number; rows_loaded: number }>(`select load_id, rows_loaded from ops.loads where source = 'fake' order by load_id`);
    expect(loads.map((l) => l.rows_loaded)).toEqual([2, 1]);
    const raw = await wh.query<{ load_id: number }>('select load_id from raw.scrm_events order by load_id');
    expect(raw.map((r) => r.load_id)).toEqual([loads[0]!.load_id, loads[0]!.load_id, loads[1]!.load_id]);
    expect(await wh.query(`select line_no, reason, raw_text from ops.quarantine where source = 'fake'`)).toEqual([{ line_no: 100, reason: 'bad', raw_text: 'x' }]);
  });

  it('rolls back nothing committed, keeps the cursor and records the failure when a source breaks', async () => {
    const before = await wh.query<{ n: number }>('select count(*) as n from raw.scrm_events');
    const result = await runSource(wh, fakeSource([batch(['d'], 'c3'), batch(['e'], 'c4')], 1));
    expect(result.status).toBe('failed');
    expect(result.error).toBe('source broke at batch 1 (cursor was c3)');
    // The first batch landed with its cursor; the failed one changed nothing.
    expect(await wh.query('select count(*) as n from raw.scrm_events')).toEqual([{ n: before[0]!.n + 1 }]);
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'fake'`)).toEqual([{ cursor_value: 'c3' }]);
    const [run] = await wh.query<Record<string, unknown>>('select status, error, rows_loaded from ops.pipeline_runs where run_id = $1', [result.runId]);
    expect(run).toEqual({ status: 'failed', error: 'source broke at batch 1 (cursor was c3)', rows_loaded: 1 });
  });

  it('rolls back a batch whose rows do not fit the raw table, with nothing half-written', async () => {
    const before = await wh.query<{ n: number }>('select count(*) as n from raw.scrm_events');
    const broken: Batch = { rows: { 'raw.scrm_events': [['f.ndjson', 1, 'agent.upserted', '2026-11-01T00:00:00Z', null, '{}'], ['too', 'short']] }, quarantine: [], read: 2, cursors: { k: 'c9' } };
    const result = await runSource(wh, fakeSource([broken]));
    expect(result.status).toBe('failed');
    expect(await wh.query('select count(*) as n from raw.scrm_events')).toEqual(before);
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'fake'`)).toEqual([{ cursor_value: 'c3' }]);
  });
});
