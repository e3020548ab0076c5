import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse } from '../../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { relationship } from '../../../warehouse/quality/sql-checks.ts';
import { tempWarehouse } from '../../helpers/temp-warehouse.ts';

// The relationship check is an anti join (warehouse/quality/sql-checks.ts): each child row
// whose value has no parent counts once, whatever the parent table repeats; nulls have no parent to miss.
describe('relationship check', () => {
  let wh: Warehouse;
  const run = (table: string) =>
    wh.withConnection((conn) => relationship(table, 'parent_id', 'staging.parents', 'id').run({ conn, config: wh.config, buildId: 0, snapshotLoadId: 0, now: new Date(), models: [] }));

  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    await wh.run(`create table staging.parents as select * from (values ('p1'), ('p1'), ('p2')) as v(id)`);
    await wh.run(`create table staging.good as select * from (values ('c1', 'p1'), ('c2', 'p1'), ('c3', 'p2'), ('c4', null)) as v(id, parent_id)`);
    await wh.run(`create table staging.bad as select * from (values ('c1', 'p1'), ('c2', 'p9'), ('c3', 'p9'), ('c4', 'p8'), ('c5', null)) as v(id, parent_id)`);
  });
  afterAll(closeAllWarehouses);

  it('passes when every non-null value has a parent, repeated parents included', async () => {
    expect(await run('staging.good')).toEqual([
      { check_name: 'relationship:staging.good.parent_id->staging.parents.id', level: 'error', status: 'pass', observed: 0, threshold: 0, details: 'every staging.good.parent_id exists in staging.parents.id' },
    ]);
  });

  it('counts each orphan row once and shows examples', async () => {
    const [result] = await run('staging.bad');
    expect(result).toMatchObject({ status: 'fail', observed: 3 });
    expect(result!.details).toMatch(/^3 row\(s\) break it: every staging.bad.parent_id exists in staging.parents.id \(e\.g\. /);
    for (const orphan of ['"p8"', '"p9"']) expect(result!.details).toContain(orphan);
    expect(result!.details).not.toContain('"p1"');
  });
});

// After an incremental merge, the child rows checked are those the merge inserted when the
// parent was merged by its key in the same build (no parent key can have gone); otherwise,
// e.g. a parent rebuilt as a table, the whole child table.
describe('relationship check after an incremental merge', () => {
  let wh: Warehouse;
  let dir: string;
  const model = (name: string, header: string, sql: string) => fs.writeFileSync(path.join(dir, 'staging', `${name}.sql`), `-- grain: one row per id\n-- key: id\n${header}\n${sql}`);
  const checks = () => [relationship('staging.children', 'parent_id', 'staging.parents_merged', 'id'), relationship('staging.children', 'parent_id', 'staging.parents_table', 'id')];
  const load = async (loadId: number, parents: string[], children: [string, string][]) => {
    await wh.run(`insert into ops.loads values ($1, 0, 'test', now(), 1, 0)`, [loadId]);
    for (const p of parents) await wh.run('insert into raw.parents values ($1, $2)', [loadId, p]);
    for (const [c, p] of children) await wh.run('insert into raw.children values ($1, $2, $3)', [loadId, c, p]);
  };
  const observed = (b: Awaited<ReturnType<typeof buildWarehouse>>) =>
    ['parents_merged', 'parents_table'].map((p) => b.checks.find((c) => c.check_name === `relationship:staging.children.parent_id->staging.${p}.id`)!.observed);

  beforeAll(async () => {
    let root: string;
    ({ wh, dir: root } = await tempWarehouse());
    dir = path.join(root, 'models');
    fs.mkdirSync(path.join(dir, 'staging'), { recursive: true });
    await wh.run('create table raw.parents (load_id bigint, id varchar)');
    await wh.run('create table raw.children (load_id bigint, id varchar, parent_id varchar)');
    model('parents_merged', '-- materialized: incremental', 'select id, load_id from raw.parents where load_id > {{since_load_id}}');
    model('parents_table', '-- materialized: table', 'select id from raw.parents');
    model('children', '-- materialized: incremental', 'select id, parent_id, load_id from raw.children where load_id > {{since_load_id}}');
    await load(1, ['p1'], [['c1', 'p1']]);
    expect((await buildWarehouse(wh, { modelsDir: dir, full: true, checks: checks() })).status).toBe('success');
    // an orphan left by a build without checks
    await wh.run(`insert into staging.children values ('c0', 'p-gone', 1)`);
  });
  afterAll(closeAllWarehouses);

  it('checks only the merged child rows against a parent merged by its key, the whole table otherwise', async () => {
    await load(2, ['p2'], [['c2', 'p2']]);
    const clean = await buildWarehouse(wh, { modelsDir: dir, checks: checks() });
    expect(observed(clean)).toEqual([0, 1]); // the table-rebuilt parent's check reads every child row, c0 included
    await wh.run('delete from raw.parents where load_id = 2');
    await wh.run('delete from raw.children where load_id = 2');
    await load(3, ['p3'], [['c3', 'p9']]);
    const orphan = await buildWarehouse(wh, { modelsDir: dir, checks: checks() });
    expect(observed(orphan)).toEqual([1, 2]);
    expect(orphan.checks.find((c) => c.check_name.endsWith('parents_merged.id'))!.details).toContain('"p9"');
  });
});
