import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, queryOn, type Warehouse } from '../../warehouse/db.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

function writeModel(dir: string, id: string, sql: string): void {
  fs.mkdirSync(path.join(dir, path.dirname(id)), { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.sql`), sql);
}

// Tables are rebuilt in place when their columns are unchanged (so later models in the same
// transaction plan with real statistics) and recreated when the columns change.
describe('rebuilding a table model', () => {
  let wh: Warehouse;
  let dir: string;
  beforeAll(async () => {
    let root: string;
    ({ wh, dir: root } = await tempWarehouse());
    dir = path.join(root, 'models');
    await wh.run('create table raw.numbers as select range as n from range(5000)');
  });
  afterAll(closeAllWarehouses);

  it('plans the next model with the rebuilt table\'s real size, not as an empty table', async () => {
    writeModel(dir, 'staging/base', '-- grain: one row per number\nselect n from raw.numbers');
    writeModel(dir, 'marts/estimate', '-- grain: one row\nselect 1 as one');
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    await wh.run('insert into raw.numbers select range + 5000 from range(5000)');
    let plan = '';
    const build = await runModels(wh, {
      modelsDir: dir,
      full: true,
      // inside the build's transaction, after the rebuild
      afterModels: async (conn) => {
        plan = (await queryOn<{ explain_value: string }>(conn, 'explain select * from staging.base')).map((r) => r.explain_value).join('\n');
      },
    });
    expect(build.status).toBe('success');
    expect(await wh.query('select count(*) as n from staging.base')).toEqual([{ n: 10_000 }]);
    // the estimate comes from the committed table (5,000 rows), not from an empty new one
    expect(plan).toMatch(/~5,000 rows/);
  });

  it('recreates the table when the model\'s columns change', async () => {
    writeModel(dir, 'staging/base', '-- grain: one row per number\nselect n, n * 2 as doubled from raw.numbers');
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    expect(await wh.query('select n, doubled from staging.base where n = 7')).toEqual([{ n: 7, doubled: 14 }]);
    writeModel(dir, 'staging/base', '-- grain: one row per number\nselect cast(n as varchar) as n from raw.numbers');
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    expect(await wh.query(`select column_name, data_type from duckdb_columns() where schema_name = 'staging' and table_name = 'base'`)).toEqual([{ column_name: 'n', data_type: 'VARCHAR' }]);
  });
});
