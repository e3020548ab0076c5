import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse } from '../../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { modelKeyChecks } from '../../../warehouse/quality/key-checks.ts';
import { tempWarehouse } from '../../helpers/temp-warehouse.ts';

// The key checks of an incremental model merged by its key look at the rows merged in the
// build only (docs/builds.md); a --full build checks the whole table.
describe('key checks of an incremental model', () => {
  let wh: Warehouse;
  let dir: string;
  const load = async (loadId: number, ids: string[]) => {
    await wh.run(`insert into ops.loads values ($1, 0, 'test', now(), ${ids.length}, 0)`, [loadId]);
    await wh.run(`insert into raw.events select $1, unnest(${JSON.stringify(ids).replaceAll('"', "'")})`, [loadId]);
  };
  const build = (full = false, checks = [modelKeyChecks(dir)]) => buildWarehouse(wh, { modelsDir: dir, full, checks });
  const keyResult = (b: Awaited<ReturnType<typeof build>>) => b.checks.find((c) => c.check_name === 'unique_key:staging.events')!;

  beforeAll(async () => {
    let root: string;
    ({ wh, dir: root } = await tempWarehouse());
    dir = path.join(root, 'models');
    fs.mkdirSync(path.join(dir, 'staging'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'staging', 'events.sql'),
      '-- grain: one row per event\n-- key: event_id\n-- materialized: incremental\nselect event_id, load_id from raw.events where load_id > {{since_load_id}}',
    );
    await wh.run('create table raw.events (load_id bigint, event_id varchar)');
    // an old load with a repeated key, built without checks (as the fast build after webhooks does)
    await load(1, ['a', 'a', 'b']);
    expect((await build(false, [])).status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('checks only the merged rows in an incremental build, and still catches a repeated key among them', async () => {
    await load(2, ['c']);
    const clean = await build();
    expect(clean.status).toBe('success');
    expect(keyResult(clean)).toMatchObject({ status: 'pass', details: expect.stringContaining('rows merged in this build') });
    await load(3, ['d', 'd']);
    const bad = await build();
    expect(bad.status).toBe('failed');
    expect(bad.rolledBack).toBe(true);
    expect(keyResult(bad)).toMatchObject({ status: 'fail', observed: 1, details: expect.stringContaining('rows merged in this build') });
  });

  it('checks the whole table in a --full build, catching the old repeated key', async () => {
    await wh.run(`delete from raw.events where load_id = 3`);
    const full = await build(true);
    expect(full.status).toBe('failed');
    expect(keyResult(full)).toMatchObject({ status: 'fail', details: expect.not.stringContaining('rows merged in this build') });
    expect(keyResult(full).details).toContain('"a"');
  });

  // A model merged by another column than its key: a merged row can repeat the key of an
  // older row of another merge group, which the merge did not replace.
  it('catches a merged key repeating an older row of another merge group, and passes a clean merge', async () => {
    fs.writeFileSync(
      path.join(dir, 'staging', 'moves.sql'),
      '-- grain: one row per message\n-- key: message_id\n-- materialized: incremental\n-- merge_on: conversation_id\nselect conversation_id, message_id, load_id from raw.moves where load_id > {{since_load_id}}',
    );
    await wh.run('create table raw.moves (load_id bigint, conversation_id varchar, message_id varchar)');
    const move = async (loadId: number, rows: [string, string][]) => {
      await wh.run(`insert into ops.loads values ($1, 0, 'test', now(), ${rows.length}, 0)`, [loadId]);
      for (const [c, m] of rows) await wh.run('insert into raw.moves values ($1, $2, $3)', [loadId, c, m]);
    };
    const moves = (b: Awaited<ReturnType<typeof build>>) => b.checks.find((c) => c.check_name === 'unique_key:staging.moves')!;
    await wh.run('delete from raw.events where load_id = 1'); // the events model's old repeat is not this test's
    await move(10, [['c1', 'm1'], ['c2', 'm2']]);
    expect((await build(true)).status).toBe('success');
    // c2 merged again with a new message: clean
    await move(11, [['c2', 'm2'], ['c2', 'm3']]);
    const clean = await build();
    expect(moves(clean)).toMatchObject({ status: 'pass', details: expect.stringContaining('rows merged in this build') });
    expect(clean.status).toBe('success');
    // m1 shows up in a new conversation c3; c1 is not merged again, so m1 is there twice
    await move(12, [['c3', 'm1']]);
    const bad = await build();
    expect(moves(bad)).toMatchObject({ status: 'fail', observed: 1, details: expect.stringContaining('rows merged in this build') });
    expect(moves(bad).details).toContain('"m1"');
    expect(bad.rolledBack).toBe(true);
  });
});
