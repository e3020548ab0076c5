import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { configFor } from '../../config/config.ts';
import { closeAllWarehouses, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { exportParquet, partitionFor } from '../../warehouse/export-parquet.ts';
import { Scenario, serviceWarehouse } from '../helpers/service-scenario.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: { write: (s: string) => ((out += s), true) }, err: { write: (s: string) => ((err += s), true) } } as never;
  return { code: await main(argv, io, env), out, err };
}

describe('parley export parquet', () => {
  let wh: Warehouse;
  let reader: Warehouse;
  let out: string;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    s.inbound('85298000001', '2026-11-16 23:30:00', 'hi'); // Monday 23:30 in Hong Kong = 15:30 UTC
    s.agent('85298000001', '2026-11-16 23:32:00', 'a1');
    s.inbound('85298000002', '2026-11-24 10:00:00', 'price?');
    await s.load();
    expect((await s.build()).status).toBe('success');
    // A second warehouse reads the files back: its data folder holds the export.
    const readerDir = tempDir('parley-parquet-');
    reader = await openWarehouse(configFor(readerDir));
    out = path.join(readerDir, 'export');
  });
  afterAll(closeAllWarehouses);

  it('writes every raw and marts table with the same rows, partitioned by local date or week', async () => {
    const result = await exportParquet(wh, out);
    const tables = await wh.query<{ t: string }>(`select schema_name || '.' || table_name as t from duckdb_tables() where schema_name in ('raw', 'marts') order by 1`);
    expect(result.tables.map((t) => t.table).sort()).toEqual(tables.map((t) => t.t));
    for (const t of ['marts.fct_messages', 'marts.fct_responses', 'marts.agg_agent_response_weekly', 'raw.whatsapp_payloads']) {
      const [schema, name] = t.split('.');
      const [{ n: inWarehouse }] = (await wh.query<{ n: number }>(`select count(*) as n from ${t}`)) as [{ n: number }];
      const [{ n: inFiles }] = (await reader.query<{ n: number }>(`select count(*) as n from read_parquet('${out}/${schema}/${name}/**/*.parquet', hive_partitioning = true)`)) as [{ n: number }];
      expect([t, inFiles]).toEqual([t, inWarehouse]);
    }
    // the message sent Monday 23:30 local is in that local day's partition, not UTC's
    expect(fs.readdirSync(path.join(out, 'marts', 'fct_messages')).sort()).toEqual(['local_date=2026-11-16', 'local_date=2026-11-24']);
    expect(fs.readdirSync(path.join(out, 'marts', 'agg_agent_response_weekly'))).toEqual(['week=2026-W47']);
    const [back] = await reader.query<{ message_id: string; text: string }>(
      `select message_id, text from read_parquet('${out}/marts/fct_messages/**/*.parquet', hive_partitioning = true) where local_date = '2026-11-24'`,
    );
    expect(back?.text).toBe('price?');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).tables).toHaveLength(result.tables.length);
    // nothing left behind in the data folder
    expect(fs.readdirSync(path.join(wh.config.dataDir, '.parley-tmp')).filter((f) => f.startsWith('export-'))).toEqual([]);
  });

  it('derives a local partition date from a time column when a table has no date or week', () => {
    expect(partitionFor('raw.x', [{ name: 'id', type: 'VARCHAR' }, { name: 'event_at', type: 'TIMESTAMP WITH TIME ZONE' }], 'Asia/Seoul')).toEqual({
      partitionBy: 'partition_date',
      select: `select *, cast(timezone('Asia/Seoul', "event_at") as date) as partition_date from raw.x`,
    });
    expect(partitionFor('marts.d', [{ name: 'agent_id', type: 'VARCHAR' }], 'Asia/Seoul')).toEqual({ partitionBy: null, select: 'select * from marts.d' });
  });

  it('refuses a folder that is not empty, and bad usage, with exit 2', async () => {
    await expect(exportParquet(wh, out)).rejects.toThrow(/is not empty; give a new or empty folder with --out/);
    await closeAllWarehouses();
    const env = { PARLEY_DB: wh.config.dbPath, PARLEY_LANDING: wh.config.landingDir, PARLEY_CONFIG_DIR: wh.config.configDir };
    expect(await cli(['export', 'csv', '--out', '/tmp/x'], env)).toMatchObject({ code: 2, err: expect.stringContaining('export takes one format: parquet') });
    expect(await cli(['export', 'parquet'], env)).toMatchObject({ code: 2, err: expect.stringContaining('export parquet needs --out DIR') });
    expect(await cli(['export', 'parquet', '--out', out], env)).toMatchObject({ code: 2, err: expect.stringContaining('is not empty') });
    const fresh = path.join(path.dirname(out), 'second');
    const ok = await cli(['export', 'parquet', '--out', fresh], env);
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/wrote \d+ tables, [\d,]+ rows in \d+ Parquet files to .*second/);
  });
});
