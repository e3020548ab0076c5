import fs from 'node:fs';
import type { Warehouse } from '../../warehouse/db.ts';
import type { Logger } from '../logger.ts';
import { runAll } from '../run-all.ts';
import { localToday } from './local-time.ts';
import { writeDemo } from './write-demo.ts';

/** True when no pipeline has ever run into this warehouse. */
export async function isWarehouseEmpty(wh: Warehouse): Promise<boolean> {
  const [row] = await wh.query<{ n: number }>('select count(*) as n from ops.pipeline_runs');
  return (row?.n ?? 0) === 0;
}

/**
 * Seeds an empty warehouse: writes the demo data set into the landing folder when that
 * folder has no files yet, then runs every source and the build through the real
 * pipelines. Does nothing when the warehouse already has runs.
 */
export async function seedDemoIfEmpty(wh: Warehouse, log: Logger, params: { days?: number; customers?: number; seed?: number } = {}): Promise<boolean> {
  if (!(await isWarehouseEmpty(wh))) return false;
  const landing = wh.config.landingDir;
  const hasFiles = fs.existsSync(landing) && fs.readdirSync(landing, { recursive: true }).some((f) => /\.(ndjson|jsonl|txt|csv|json)$/.test(String(f)));
  if (!hasFiles) {
    const summary = writeDemo({ days: params.days ?? 90, customers: params.customers ?? 2000, seed: params.seed ?? 1, end: localToday(wh.config.tz), tz: wh.config.tz }, landing);
    log.info(`empty warehouse: wrote demo data to ${landing}`, { files: summary.files, messages: summary.messages });
  } else {
    log.info(`empty warehouse: loading the files already in ${landing}`);
  }
  const { runs, build } = await runAll(wh, { trigger: 'demo', log });
  for (const r of runs) log.info(`seeded ${r.source}`, { status: r.status, loaded: r.rowsLoaded, quarantined: r.rowsQuarantined });
  if (build && build.status !== 'success') {
    const failed = build.results.filter((r) => r.status !== 'success').map((r) => `${r.model}: ${r.error}`);
    log.error(`seed build ${build.status}: ${build.error ?? failed.join('; ')}`, { models: build.results.length, failed });
  } else {
    log.info(`seed build ${build?.status ?? 'not run'}`, { models: build?.results.length ?? 0 });
  }
  return true;
}
