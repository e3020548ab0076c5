import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse } from '../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { INTERRUPTED } from '../../warehouse/model-runner.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

function writeModel(dir: string, id: string, sql: string): void {
  fs.mkdirSync(path.join(dir, path.dirname(id)), { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.sql`), sql);
}

// `parley build` passes its SIGINT/SIGTERM signal to the build (cli/commands/build.command.ts).
describe('a build stopped by its signal', () => {
  let wh: Warehouse;
  let dir: string;
  const contents = async () => ({
    first: await wh.query('select * from staging.first order by all'),
    inputs: await wh.query('select model, fingerprint from ops.model_inputs order by all'),
  });

  beforeAll(async () => {
    let root: string;
    ({ wh, dir: root } = await tempWarehouse());
    dir = path.join(root, 'models');
    await wh.run('create table raw.numbers as select range as n from range(10)');
    writeModel(dir, 'staging/first', '-- grain: one row per number\n-- key: n\n-- materialized: table\nselect n from raw.numbers');
    writeModel(dir, 'staging/second', '-- grain: one row\n-- key: total\n-- materialized: table\nselect sum(n) as total from staging.first');
    expect((await buildWarehouse(wh, { modelsDir: dir, checks: [] })).status).toBe('success');
    await wh.run('insert into raw.numbers values (100)');
  });
  afterAll(closeAllWarehouses);

  it('starts no model after the signal and rolls back the models already built', async () => {
    const before = await contents();
    const controller = new AbortController();
    const build = await buildWarehouse(wh, { modelsDir: dir, checks: [], onModel: (r) => r.model === 'staging.first' && controller.abort(), signal: controller.signal });
    expect(build).toMatchObject({ status: 'failed', rolledBack: true, error: INTERRUPTED });
    expect(build.results.map((r) => r.model)).toEqual(['staging.first']);
    expect(await contents()).toEqual(before);
    expect(await wh.query(`select status, error from ops.builds where build_id = ${build.buildId}`)).toEqual([{ status: 'failed', error: INTERRUPTED }]);
  });

  it('interrupts a model that is running', async () => {
    const before = await contents();
    // a query that would run for hours unless interrupted
    writeModel(dir, 'staging/second', '-- grain: one row\n-- key: total\n-- materialized: table\nselect sum(n) + (select count(*) from range(1000000000000)) as total from staging.first');
    const controller = new AbortController();
    const started = buildWarehouse(wh, { modelsDir: dir, checks: [], onModel: (r) => r.model === 'staging.first' && setTimeout(() => controller.abort(), 200), signal: controller.signal });
    const build = await started;
    expect(build).toMatchObject({ status: 'failed', rolledBack: true, error: INTERRUPTED });
    expect(await contents()).toEqual(before);
    // the warehouse still works: the next build completes
    writeModel(dir, 'staging/second', '-- grain: one row\n-- key: total\n-- materialized: table\nselect sum(n) as total from staging.first');
    expect((await buildWarehouse(wh, { modelsDir: dir, checks: [] })).status).toBe('success');
    expect(await wh.query('select total from staging.second')).toEqual([{ total: 145 }]);
  });
});
