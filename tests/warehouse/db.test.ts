import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../config/parley-error.ts';
import { closeAllWarehouses, openWarehouse, plainRows, type Warehouse } from '../../warehouse/db.ts';
import { toPlain } from '../../warehouse/values.ts';
import { listMigrations } from '../../warehouse/migrator.ts';
import { tempConfig, tempWarehouse } from '../helpers/temp-warehouse.ts';

const refused = async (wh: Warehouse, sql: string) => {
  try {
    await wh.query(sql);
    return 'allowed';
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
};

describe('warehouse', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('creates the four layers and records every migration once', async () => {
    const schemas = await wh.query<{ schema_name: string }>(`select schema_name from duckdb_schemas() where schema_name in ('raw','staging','marts','ops') order by 1`);
    expect(schemas.map((s) => s.schema_name)).toEqual(['marts', 'ops', 'raw', 'staging']);
    const applied = await wh.query<{ name: string }>('select name from ops.migrations order by name');
    expect(applied.map((m) => m.name)).toEqual(listMigrations().map((m) => m.name));
  });

  it('hands out one instance per file in a process', async () => {
    const again = await openWarehouse(wh.config);
    expect(again).toBe(wh);
  });

  it('is locked down: no files outside the allowed folders, no settings, no ATTACH, no extensions', async () => {
    expect(await refused(wh, `select * from read_csv('/etc/passwd')`)).toMatch(/Permission Error/);
    expect(await refused(wh, `copy (select 1) to '/tmp/parley-escape.csv'`)).toMatch(/Permission Error/);
    expect(await refused(wh, `attach '/tmp/other.duckdb' as other`)).toMatch(/Permission Error/);
    expect(await refused(wh, `set enable_external_access = true`)).toMatch(/configuration has been locked/);
    expect(await refused(wh, `set threads = 1`)).toMatch(/configuration has been locked/);
    expect(await refused(wh, `install httpfs`)).not.toBe('allowed');
    expect(await refused(wh, `load httpfs`)).not.toBe('allowed');
    expect(fs.existsSync('/tmp/parley-escape.csv')).toBe(false);
  });

  it('runs with the memory settings docs/builds.md describes: a 1536 MB limit, 2 threads, jemalloc background purging', async () => {
    const settings = await wh.query<{ name: string; value: string }>(
      `select name, value from duckdb_settings() where name in ('memory_limit', 'threads', 'allocator_background_threads') order by name`,
    );
    expect(settings).toEqual([
      { name: 'allocator_background_threads', value: 'true' },
      { name: 'memory_limit', value: '1.4 GiB' },
      { name: 'threads', value: '2' },
    ]);
  });

  it('still reads files in the landing folder and runs in the business timezone', async () => {
    const file = path.join(wh.config.landingDir, 'probe.json');
    fs.writeFileSync(file, '{"a": 1}\n');
    expect(await wh.query(`select a from read_json(${"'" + file + "'"})`)).toEqual([{ a: 1 }]);
    expect(await wh.query(`select current_setting('TimeZone') as tz`)).toEqual([{ tz: 'Asia/Hong_Kong' }]);
  });

  it('reads rows column by column as the row-object reader did (types, nulls, repeated names, no rows)', async () => {
    const queries = [
      `select i, i * 10000000000 as big, cast(i as hugeint) * 100000000000000000000 as huge, i / 3 as dbl, cast(i as decimal(18, 3)) / 7 as dec,
              'x' || i as s, i % 2 = 0 as even, date '2026-11-20' + cast(i as integer) as d, timestamptz '2026-11-20 10:00:00+08' + to_seconds(i) as ts,
              timestamp '2026-11-20 10:00:00' as local_ts, [i, i + 1] as list, {'a': i, 'b': 'y'} as struct, case when i % 3 = 0 then null else i end as maybe,
              cast('ab' as blob) as bytes, interval 1 day as gap, 1 as i
       from range(2500) as t(i)`,
      'select 1 as a, 2 as a, 3 as a_1',
      'select 1 as a where false',
    ];
    for (const sql of queries) {
      const byRow = await wh.withConnection(async (conn) => (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => toPlain(r)));
      const byColumn = await wh.withConnection(async (conn) => plainRows(await conn.runAndReadAll(sql)));
      expect(byColumn).toEqual(byRow);
      expect(byColumn.map((r) => Object.keys(r as object))).toEqual(byRow.map((r) => Object.keys(r as object)));
      expect(await wh.query(sql)).toEqual(byRow);
    }
  });

  it('rolls a transaction back when its work throws', async () => {
    await wh.run('create table raw.t_tx (x integer)');
    await expect(
      wh.transaction(async (conn) => {
        await conn.run('insert into raw.t_tx values (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await wh.query('select count(*) as n from raw.t_tx')).toEqual([{ n: 0 }]);
  });
});

describe('opening a bad warehouse file', () => {
  afterAll(closeAllWarehouses);

  it('says a corrupt file is not a DuckDB warehouse and what to do', async () => {
    const { config } = tempConfig();
    fs.writeFileSync(config.dbPath, 'this is not a database '.repeat(500));
    let error: unknown;
    try {
      await openWarehouse(config);
    } catch (err) {
      error = err;
    }
    expect(isParleyError(error, 'WH_CORRUPT')).toBe(true);
    expect((error as Error).message).toMatch(/is not a readable DuckDB warehouse .* Move it aside/);
    expect(fs.readFileSync(config.dbPath, 'utf8').startsWith('this is not a database')).toBe(true);
  });
});
