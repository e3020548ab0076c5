import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { configFor } from '../../config/config.ts';
import { runSource } from '../../pipelines/loader.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { closeAllWarehouses, openWarehouse } from '../../warehouse/db.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import type { Phase } from '../lib/context.ts';
import { fmtSeconds, repeat } from '../lib/measure.ts';

/**
 * Webhook NDJSON into staging through Parley's pipeline (validate, quarantine, raw, staging
 * models), against DuckDB loading the same files bare with read_json into a table, side by
 * side in the same run.
 */
export const ingestPhase: Phase = {
  key: 'ingest',
  name: 'Ingest: webhook NDJSON into staging vs DuckDB read_json bare',
  async run(ctx) {
    const glob = path.join(ctx.landingDir, 'whatsapp', '*.ndjson');
    const scratch = path.join(ctx.workDir, 'ingest');
    const fresh = () => {
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.mkdirSync(scratch, { recursive: true });
    };
    let lines = 0;
    const parley = await repeat(
      ctx.repeats,
      async () => {
        const config = configFor(scratch, { PARLEY_LANDING: ctx.landingDir });
        const wh = await openWarehouse(config);
        const run = await runSource(wh, whatsappCloudSource, { trigger: 'test' });
        await runModels(wh, { select: ['staging.stg_whatsapp_messages', 'staging.stg_whatsapp_statuses'] });
        lines = run.rowsRead;
        await closeAllWarehouses();
      },
      async () => fresh(),
    );
    const bare = await repeat(
      ctx.repeats,
      async () => {
        const db = await DuckDBInstance.create(path.join(scratch, 'bare.duckdb'), { threads: '2' });
        const conn = await db.connect();
        await conn.run(`create table payloads as select * from read_json('${glob}', format = 'newline_delimited', ignore_errors = true)`);
        conn.closeSync();
        db.closeSync();
      },
      async () => fresh(),
    );
    fresh();
    const ratio = parley.median / bare.median;
    return {
      phase: this.name,
      figures: [
        { name: `Parley: ${lines.toLocaleString('en-US')} lines -> raw + stg_whatsapp_messages + stg_whatsapp_statuses`, value: fmtSeconds(parley) },
        { name: 'DuckDB bare: read_json into a table (same files, same run)', value: fmtSeconds(bare) },
        { name: 'ratio Parley / bare', value: `${ratio.toFixed(2)}x`, bar: 'within 1.5x', met: ratio <= 1.5 },
      ],
    };
  },
};
