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

  it("runs a batch's prepare on its connection outside the transaction, for apply to land inside it", async () => {
    const before = await wh.query<{ n: number }>('select count(*) as n from raw.scrm_events');
    const prepared: Batch = {
      rows: {},
      quarantine: [],
      read: 0,
      cursors: {},
      prepare: async (conn) => {
        // Starting a transaction here fails if the loader already opened the batch's.
        await conn.run('begin transaction');
        await conn.run('commit');
        await conn.run(`create or replace temp table __fake_prepared as select * from (values ('p1'), ('p2')) as t(id)`);
      },
      apply: async ({ conn, loadId }) => {
        await conn.run(`insert into raw.scrm_events select ${loadId}, 'prepared.ndjson', row_number() over (), 'agent.upserted', '2026-11-01T00:00:00Z', null, json_object('id', id) from __fake_prepared`);
        return { read: 2, loaded: 2, quarantined: 0, cursors: { k: 'c10' } };
      },
    };
    const result = await runSource(wh, fakeSource([prepared]));
    expect(result).toMatchObject({ status: 'success', rowsRead: 2, rowsLoaded: 2 });
    expect(await wh.query(`select payload->>'id' as id from raw.scrm_events where source_file = 'prepared.ndjson' order by id`)).toEqual([{ id: 'p1' }, { id: 'p2' }]);
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'fake'`)).toEqual([{ cursor_value: 'c10' }]);
    expect(await wh.query('select count(*) as n from raw.scrm_events')).toEqual([{ n: before[0]!.n + 2 }]);
  });

  it('fails the run when a prepare throws, without applying or landing the batch', async () => {
    const before = await wh.query<{ n: number }>('select count(*) as n from raw.scrm_events');
    let applied = false;
    const broken: Batch = {
      ...batch(['z'], 'c11'),
      prepare: async () => {
        throw new Error('the landing file vanished');
      },
      apply: async () => {
        applied = true;
        return { read: 0, loaded: 0, quarantined: 0 };
      },
    };
    const result = await runSource(wh, fakeSource([broken]));
    expect(result).toMatchObject({ status: 'failed', error: 'the landing file vanished', rowsRead: 0, batches: 0 });
    expect(applied).toBe(false);
    expect(await wh.query('select count(*) as n from raw.scrm_events')).toEqual(before);
    expect(await wh.query(`select cursor_value from ops.cursors where source = 'fake'`)).toEqual([{ cursor_value: 'c10' }]);
  });
});
