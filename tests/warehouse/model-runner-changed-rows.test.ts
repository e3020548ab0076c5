import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

function writeModel(dir: string, id: string, sql: string): void {
  fs.mkdirSync(path.join(dir, path.dirname(id)), { recursive: true });
  fs.writeFileSync(path.join(dir, `${id}.sql`), sql);
}

// A table model with a key rebuilt by an incremental build writes only the rows that changed
// (warehouse/model-runner.ts, writeChangedRows); it must still end with exactly its query's rows.
describe('a table model rebuilt by an incremental build', () => {
  let wh: Warehouse;
  let dir: string;
  const MODEL = '-- grain: one row per item\n-- key: id\n-- materialized: table\nselect id, label, amount from raw.items';
  const rows = (sql = 'select id, label, amount from staging.items order by all') => wh.query<{ id: number | null; label: string; amount: number | null }>(sql);
  const same = async () => {
    const [d] = await wh.query<{ n: number }>(
      `select count(*) as n from ((select id, label, amount from staging.items except all select * from raw.items) union all (select * from raw.items except all select id, label, amount from staging.items))`,
    );
    return Number(d!.n) === 0;
  };
  const rowidOf = async (id: number) => (await wh.query<{ r: number }>(`select rowid as r from staging.items where id = ${id}`))[0]!.r;

  beforeAll(async () => {
    let root: string;
    ({ wh, dir: root } = await tempWarehouse());
    dir = path.join(root, 'models');
    await wh.run(`create table raw.items as select range::integer as id, 'item ' || range as label, range * 10 as amount from range(1000)`);
    writeModel(dir, 'staging/items', MODEL);
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('keeps the unchanged rows where they are and replaces changed, gone and new ones', async () => {
    const kept = await rowidOf(500);
    await wh.run(`update raw.items set amount = -1 where id in (3, 4)`);
    await wh.run(`delete from raw.items where id = 7`);
    await wh.run(`insert into raw.items values (5000, 'new', 1), (null, 'no id', 2)`);
    const build = await runModels(wh, { modelsDir: dir });
    expect(build.status).toBe('success');
    expect(build.results[0]).toMatchObject({ strategy: 'table', rows: 1001 });
    expect(await same()).toBe(true);
    expect(await rows('select id, amount from staging.items where id in (3, 4, 7, 5000) or id is null order by id nulls last')).toEqual([
      { id: 3, amount: -1 },
      { id: 4, amount: -1 },
      { id: 5000, amount: 1 },
      { id: null, amount: 2 },
    ]);
    // an unchanged row was not rewritten: it has the row id it had
    expect(await rowidOf(500)).toBe(kept);
  });

  it('replaces a row with a NULL key and keeps duplicate rows as often as the query gives them', async () => {
    await wh.run(`update raw.items set amount = 3 where id is null`);
    await wh.run(`insert into raw.items values (9, 'item 9', 90), (9, 'item 9', 90)`); // item 9 three times
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    expect(await same()).toBe(true);
    expect(await rows('select id, amount from staging.items where id is null or id = 9 order by all')).toEqual([
      { id: 9, amount: 90 },
      { id: 9, amount: 90 },
      { id: 9, amount: 90 },
      { id: null, amount: 3 },
    ]);
    await wh.run(`delete from raw.items where id = 9`);
    await wh.run(`insert into raw.items values (9, 'item 9', 90)`); // once again
    expect((await runModels(wh, { modelsDir: dir })).status).toBe('success');
    expect(await same()).toBe(true);
    expect(await rows('select count(*) as n from staging.items where id = 9')).toEqual([{ n: 1 }]);
  });

  it('rewrites every row in a --full build, with the same result', async () => {
    const before = await rowidOf(500);
    await wh.run(`update raw.items set label = 'renamed' where id = 1`);
    expect((await runModels(wh, { modelsDir: dir, full: true })).status).toBe('success');
    expect(await same()).toBe(true);
    expect(await rowidOf(500)).not.toBe(before);
  });
});
