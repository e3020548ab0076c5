import path from 'node:path';
import { exportParquet } from '../../warehouse/export-parquet.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { createProgress } from '../progress.ts';

/** `parley export parquet --out DIR`: raw and marts as hive-partitioned Parquet. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write raw and marts as hive-partitioned Parquet (partitioned by date or week)',
  usage: 'parley export parquet --out DIR',
  options: { out: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length !== 1 || positionals[0] !== 'parquet') throw new UsageError('export takes one format: parquet (parley export parquet --out DIR).');
    if (typeof values.out !== 'string' || values.out.trim() === '') throw new UsageError('export parquet needs --out DIR, a new or empty folder.');
    const wh = await openWarehouse(ctx.config);
    const progress = createProgress(ctx.err, 'export');
    const result = await exportParquet(wh, path.resolve(values.out), (t, i, n) => progress.update(`${i + 1}/${n} ${t.table} (${t.rows.toLocaleString('en-US')} rows)`));
    const rows = result.tables.reduce((a, t) => a + t.rows, 0);
    const files = result.tables.reduce((a, t) => a + t.files, 0);
    progress.done(`wrote ${result.tables.length} tables, ${rows.toLocaleString('en-US')} rows in ${files} Parquet files to ${result.out} in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    return 0;
  },
};
