import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { isParleyError } from '../../config/parley-error.ts';
import { loadModels, orderModels } from '../../warehouse/model-files.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** Writes model files `{ 'staging/x': 'select ...' }` into a fresh folder. */
function modelsDir(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [id, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, path.dirname(id)), { recursive: true });
    fs.writeFileSync(path.join(dir, `${id}.sql`), sql);
  }
  return dir;
}

describe('model runner', () => {
  let wh: Warehouse;
  let root: string;
  beforeAll(async () => {
    ({ wh, dir: root } = await tempWarehouse());
    await wh.run('create table raw.numbers as select * from (values (1), (2), (3)) t(n)');
  });
  afterAll(closeAllWarehouses);

  it('orders models by what they reference, not by name', async () => {
    const dir = modelsDir(root, 'ordering', {
      'marts/a_report': '-- grain: one row\nselect sum(n) as total from marts.b_doubled',
      'marts/b_doubled': 'select n * 2 as n from staging.z_base',
      'staging/z_base': '-- grain: one row per number\n-- key: n\nselect n from raw.numbers',
    });
    expect(orderModels(loadModels(dir)).map((m) => m.id)).toEqual(['staging.z_base', 'marts.b_doubled', 'marts.a_report']);
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.status).toBe('success');
    expect(build.results.map((r) => [r.model, r.status, r.rows])).toEqual([
      ['staging.z_base', 'success', 3],
      ['marts.b_doubled', 'success', 3],
      ['marts.a_report', 'success', 1],
    ]);
    expect(await wh.query('select total from marts.a_report')).toEqual([{ total: 12 }]);
  });

  it('ignores references in comments and string literals', () => {
    const dir = modelsDir(root, 'comments', {
      'staging/p': "-- reads staging.q only in this comment\nselect 'staging.q' as label",
      'staging/q': 'select 1 as one',
    });
    expect(loadModels(dir).find((m) => m.id === 'staging.p')!.dependsOn).toEqual([]);
  });

  it('reports a cycle as a clear error naming the models in it', () => {
    const dir = modelsDir(root, 'cycle', {
      'staging/x': 'select * from staging.y',
      'staging/y': 'select * from staging.x',
      'staging/free': 'select 1 as one',
    });
    let error: unknown;
    try {
      orderModels(loadModels(dir));
    } catch (err) {
      error = err;
    }
    expect(isParleyError(error, 'WH_MODEL_CYCLE')).toBe(true);
    expect((error as Error).message).toContain('staging.x -> staging.y -> staging.x');
  });

  it('stops only the models that depend on a failing one and keeps its previous table', async () => {
    const good = modelsDir(root, 'fail-before', {
      'staging/broken': 'select n from raw.numbers',
      'staging/child': 'select n + 1 as m from staging.broken',
      'staging/grandchild': 'select count(*) as c from staging.child',
      'staging/sibling': 'select max(n) as top from raw.numbers',
    });
    expect((await runModels(wh, { modelsDir: good })).status).toBe('success');
    const bad = modelsDir(root, 'fail-after', {
      'staging/broken': 'select no_such_column from raw.numbers',
      'staging/child': 'select n + 1 as m from staging.broken',
      'staging/grandchild': 'select count(*) as c from staging.child',
      'staging/sibling': 'select min(n) as top from raw.numbers',
    });
    const build = await runModels(wh, { modelsDir: bad });
    expect(build.status).toBe('failed');
    const byModel = Object.fromEntries(build.results.map((r) => [r.model, r]));
    expect(byModel['staging.broken']!.status).toBe('error');
    expect(byModel['staging.broken']!.error).toMatch(/no_such_column/);
    expect(byModel['staging.child']).toMatchObject({ status: 'skipped', error: 'skipped because staging.broken did not build' });
    expect(byModel['staging.grandchild']).toMatchObject({ status: 'skipped', error: 'skipped because staging.child did not build' });
    expect(byModel['staging.sibling']!.status).toBe('success');
    expect(await wh.query('select top from staging.sibling')).toEqual([{ top: 1 }]);
    expect(await wh.query('select count(*) as n from staging.broken')).toEqual([{ n: 3 }]);
    const [recorded] = await wh.query<Record<string, unknown>>('select status, models_ok, models_failed, models_skipped from ops.builds where build_id = $1', [build.buildId]);
    expect(recorded).toEqual({ status: 'failed', models_ok: 1, models_failed: 1, models_skipped: 2 });
  });

  it('builds incremental models from new loads only and merges them by key', async () => {
    await wh.run('create table raw.events (load_id bigint, event_id varchar, amount integer)');
    const dir = modelsDir(root, 'incremental', {
      'staging/stg_events': '-- grain: one row per event\n-- key: event_id\n-- materialized: incremental\nselect event_id, amount, load_id from raw.events where load_id > {{since_load_id}}',
    });
    const load = async (loadId: number, rows: [string, number][]) => {
      await wh.run(`insert into ops.loads values ($1, 0, 'test', now(), ${rows.length}, 0)`, [loadId]);
      await wh.run(`insert into raw.events values ${rows.map(([id, a]) => `(${loadId}, '${id}', ${a})`).join(', ')}`);
    };
    await load(101, [['e1', 10], ['e2', 20]]);
    const first = await runModels(wh, { modelsDir: dir });
    expect(first.results[0]).toMatchObject({ strategy: 'full', rows: 2 });
    await load(102, [['e2', 25], ['e3', 30]]);
    const second = await runModels(wh, { modelsDir: dir });
    expect(second.results[0]).toMatchObject({ strategy: 'incremental', rows: 3 });
    expect(await wh.query('select event_id, amount from staging.stg_events order by event_id')).toEqual([
      { event_id: 'e1', amount: 10 },
      { event_id: 'e2', amount: 25 },
      { event_id: 'e3', amount: 30 },
    ]);
    // Nothing new: the incremental build leaves the table as it is; --full rebuilds from scratch.
    expect((await runModels(wh, { modelsDir: dir })).results[0]!.rows).toBe(3);
    const full = await runModels(wh, { modelsDir: dir, full: true });
    expect(full.results[0]).toMatchObject({ strategy: 'full', rows: 4 });
  });

  it('refuses an unknown template variable and an incremental model without a key', async () => {
    const dir = modelsDir(root, 'vars', { 'staging/v': 'select {{nope}} as x' });
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.results[0]!.error).toMatch(/uses \{\{nope\}\}, which is not a known variable/);
    const noKey = modelsDir(root, 'nokey', { 'staging/k': '-- materialized: incremental\nselect 1 as x' });
    expect(() => loadModels(noKey)).toThrow(/needs "-- key: column/);
  });

  it('replaces every row of a merge_on group when an incremental model recomputes it', async () => {
    await wh.run('create table raw.lines (load_id bigint, thread varchar, line_id varchar)');
    const dir = modelsDir(root, 'merge-on', {
      // one row per thread's first line: a late earlier line changes the key of the thread's row
      'staging/stg_first_lines': [
        '-- grain: one row per thread',
        '-- key: first_line_id',
        '-- materialized: incremental',
        '-- merge_on: thread',
        'select thread, min(line_id) as first_line_id, count(*) as lines from raw.lines',
        'where thread in (select thread from raw.lines where load_id > {{since_load_id}}) group by thread',
      ].join('\n'),
    });
    await wh.run(`insert into ops.loads values (201, 0, 'test', now(), 2, 0)`);
    await wh.run(`insert into raw.lines values (201, 't1', 'b'), (201, 't2', 'x')`);
    await runModels(wh, { modelsDir: dir });
    await wh.run(`insert into ops.loads values (202, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.lines values (202, 't1', 'a')`);
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.results[0]).toMatchObject({ strategy: 'incremental', sinceLoadId: 201 });
    expect(await wh.query('select thread, first_line_id, lines from staging.stg_first_lines order by thread')).toEqual([
      { thread: 't1', first_line_id: 'a', lines: 2 },
      { thread: 't2', first_line_id: 'x', lines: 1 },
    ]);
  });

  it('deletes the rows a merge_scope lists before merging, even those no new row replaces', async () => {
    await wh.run('create table raw.visits (load_id bigint, person varchar, day integer)');
    // one row per person and day after a visit, and one for everyone the day after the last visit
    const sql = [
      '-- grain: one row per person x day after one of their visits, and everyone x the day after the last visit',
      '-- key: person, day',
      '-- materialized: incremental',
      '-- merge_scope: replaced',
      'with changed as (select distinct person from raw.visits where load_id > {{since_load_id}}),',
      'final as (',
      '    select person, day + 1 as day from raw.visits where person in (select person from changed)',
      "    union all select 'everyone', max(day) + 1 from raw.visits",
      '),',
      'replaced as (',
      "    select person, day from staging.stg_visit_days where person in (select person from changed) or person = 'everyone'",
      ')',
      'select * from final',
    ].join('\n');
    const dir = modelsDir(root, 'merge-scope', { 'staging/stg_visit_days': sql });
    await wh.run(`insert into ops.loads values (301, 0, 'test', now(), 2, 0)`);
    await wh.run(`insert into raw.visits values (301, 'ann', 1), (301, 'bob', 3)`);
    expect((await runModels(wh, { modelsDir: dir })).results[0]).toMatchObject({ strategy: 'full' });
    await wh.run(`insert into ops.loads values (302, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.visits values (302, 'cat', 5)`);
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.results[0]).toMatchObject({ status: 'success', strategy: 'incremental', sinceLoadId: 301 });
    // everyone's day 4 is in the scope and no new row has its key: without the scope it would stay
    expect(await wh.query('select person, day from staging.stg_visit_days order by person, day')).toEqual([
      { person: 'ann', day: 2 },
      { person: 'bob', day: 4 },
      { person: 'cat', day: 6 },
      { person: 'everyone', day: 6 },
    ]);
    const bad = modelsDir(root, 'merge-scope-bad', { 'staging/s': '-- key: x\n-- materialized: incremental\n-- merge_scope: replaced\nselect 1 as x' });
    expect(() => loadModels(bad)).toThrow(/merge_scope: <cte>" needs an incremental model whose SQL ends with "select \* from final"/);
    const both = modelsDir(root, 'merge-scope-keep-first', {
      'staging/s': '-- key: x\n-- materialized: incremental\n-- keep_first_by: at\n-- merge_scope: replaced\nwith final as (select 1 as x, 2 as at), replaced as (select 1 as x)\nselect * from final',
    });
    expect(() => loadModels(both)).toThrow(/Model staging\.s: keep_first_by and merge_scope cannot be combined/);
  });

  it('rebuilds a merge_scope model whole when a model upstream has a new version, and after its inputs were forgotten', async () => {
    await wh.run('create table raw.marks (load_id bigint, mark integer)');
    const scoped = [
      '-- key: mark',
      '-- materialized: incremental',
      '-- merge_scope: replaced',
      'with final as (select mark from staging.stg_marks where load_id > {{since_load_id}}),',
      'replaced as (select mark from final)',
      'select * from final',
    ].join('\n');
    const files = (upstream: string) => modelsDir(root, `merge-scope-upstream-${upstream.length}`, { 'staging/stg_marks': upstream, 'marts/scoped_marks': scoped });
    const v1 = files('select load_id, mark from raw.marks');
    await wh.run(`insert into ops.loads values (401, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.marks values (401, 1)`);
    await runModels(wh, { modelsDir: v1 });
    await wh.run(`insert into ops.loads values (402, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.marks values (402, 2)`);
    expect((await runModels(wh, { modelsDir: v1 })).results[1]).toMatchObject({ model: 'marts.scoped_marks', strategy: 'incremental' });
    await wh.run(`insert into ops.loads values (403, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.marks values (403, 3)`);
    const v2 = files('select load_id, mark * 10 as mark from raw.marks');
    expect((await runModels(wh, { modelsDir: v2 })).results[1]).toMatchObject({ model: 'marts.scoped_marks', strategy: 'full' });
    expect(await wh.query('select mark from marts.scoped_marks order by 1')).toEqual([{ mark: 10 }, { mark: 20 }, { mark: 30 }]);
    await wh.run(`insert into ops.loads values (404, 0, 'test', now(), 1, 0)`);
    await wh.run(`insert into raw.marks values (404, 4)`);
    await wh.run('delete from ops.model_inputs');
    expect((await runModels(wh, { modelsDir: v2 })).results[1]).toMatchObject({ model: 'marts.scoped_marks', strategy: 'full' });
  });

  it('rolls every model of the build back when afterModels throws', async () => {
    await wh.run('create table raw.prices (amount integer)');
    await wh.run('insert into raw.prices values (10)');
    const dir = modelsDir(root, 'after-models', {
      'staging/stg_prices': 'select amount from raw.prices',
      'marts/total_price': 'select sum(amount) as total from staging.stg_prices',
    });
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    await wh.run('insert into raw.prices values (-500)');
    const seen: number[] = [];
    const build = await runModels(wh, {
      modelsDir: dir,
      afterModels: async (conn, results, ctx) => {
        const [row] = (await conn.runAndReadAll('select total from marts.total_price')).getRowObjectsJS();
        seen.push(Number(row!.total));
        expect(results.map((r) => r.status)).toEqual(['success', 'success']);
        expect(ctx.buildId).toBeGreaterThan(0);
        throw new Error('a negative total');
      },
    });
    expect(seen).toEqual([-490]); // the check saw the new tables inside the build's transaction
    expect(build).toMatchObject({ status: 'failed', rolledBack: true, error: 'rolled back, the previous tables are kept: a negative total' });
    expect(await wh.query('select total from marts.total_price')).toEqual([{ total: 10 }]);
    expect(await wh.query('select count(*) as n from staging.stg_prices')).toEqual([{ n: 1 }]);
  });

  it('builds the other models when one fails at run time (which aborts DuckDB\'s transaction)', async () => {
    const dir = modelsDir(root, 'runtime-error', {
      'staging/a_fine': 'select 1 as one',
      'staging/b_bad_cast': "select cast(label as integer) as n from (values ('7'), ('seven')) t(label)",
      'staging/c_fine': 'select 2 as two',
    });
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.results.map((r) => [r.model, r.status])).toEqual([['staging.a_fine', 'success'], ['staging.b_bad_cast', 'error'], ['staging.c_fine', 'success']]);
    expect(build.results[1]!.error).toMatch(/Could not convert string 'seven'/);
    expect(await wh.query('select two from staging.c_fine')).toEqual([{ two: 2 }]);
  });
});
