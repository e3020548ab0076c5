import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../pipelines/demo/write-demo.ts';
import { runAll } from '../../pipelines/run-all.ts';
import { runSource } from '../../pipelines/loader.ts';
import { whatsappCloudSource } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { scrmEventsSource } from '../../pipelines/sources/scrm-events.source.ts';
import { buildWarehouse, type WarehouseBuild } from '../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { forgetModelInputs } from '../../warehouse/model-inputs.ts';
import { buildMessages } from '../../warehouse/messages-build.ts';
import type { BuildResult } from '../../warehouse/model-runner.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** Every table of a schema, rows sorted, without load_id (which says when a row was last merged). */
export async function snapshotSchema(wh: Warehouse, schema: string): Promise<Record<string, unknown[]>> {
  const tables = await wh.query<{ table_name: string }>(`select table_name from duckdb_tables() where schema_name = $1 order by table_name`, [schema]);
  const out: Record<string, unknown[]> = {};
  for (const { table_name: t } of tables) {
    const cols = await wh.query<{ column_name: string }>(`select column_name from duckdb_columns() where schema_name = $1 and table_name = $2 and column_name <> 'load_id' order by column_index`, [schema, t]);
    const rows = await wh.query<Record<string, unknown>>(`select ${cols.map((c) => `"${c.column_name}"`).join(', ')} from ${schema}."${t}" order by ${cols.map((_, i) => i + 1).join(', ')}`);
    out[t] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, roundDouble(v)])));
  }
  return out;
}

/** Averages over rows stored in another order differ in the last bits (85.979 vs 85.97900000000001). */
function roundDouble(v: unknown): unknown {
  return typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v;
}

const strategies = (b: WarehouseBuild) => new Map(b.results.map((r) => [r.model, r.strategy]));
const NOW = () => new Date('2026-11-23T12:00:00Z');
const LAST_DAY = '2026-11-21'; // a Saturday: the demo has no traffic on Sundays

/** A small demo warehouse built without its last day, and a function that loads that day. */
async function demoWithoutLastDay(): Promise<{ wh: Warehouse; loadLastDay: () => Promise<void> }> {
  const { wh, dir } = await tempWarehouse();
  writeDemo({ days: 15, customers: 120, seed: 7, end: '2026-11-22', tz: 'Asia/Hong_Kong' }, wh.config.landingDir);
  const aside = path.join(dir, 'next-day');
  fs.mkdirSync(aside);
  const dayFiles = [path.join('whatsapp', `wa-${LAST_DAY}.ndjson`), path.join('scrm', `scrm-${LAST_DAY}.ndjson`)];
  for (const f of dayFiles) fs.renameSync(path.join(wh.config.landingDir, f), path.join(aside, path.basename(f)));
  const first = await runAll(wh, { trigger: 'test', now: NOW });
  expect(first.build?.status).toBe('success');
  return {
    wh,
    loadLastDay: async () => {
      // Copied, not renamed: the sources pick up files newer than their cursor, as a new delivery is.
      for (const f of dayFiles) fs.copyFileSync(path.join(aside, path.basename(f)), path.join(wh.config.landingDir, f));
      for (const source of [whatsappCloudSource, scrmEventsSource]) expect((await runSource(wh, source, { trigger: 'test' })).status).toBe('success');
    },
  };
}

/** Every staging and marts table, then the same after a full build of the same data. */
async function withFullBuild(wh: Warehouse): Promise<{ before: Record<string, unknown[]>; full: Record<string, unknown[]> }> {
  const before = { ...(await snapshotSchema(wh, 'marts')), ...(await snapshotSchema(wh, 'staging')) };
  expect((await buildWarehouse(wh, { now: NOW, full: true })).status).toBe('success');
  return { before, full: { ...(await snapshotSchema(wh, 'marts')), ...(await snapshotSchema(wh, 'staging')) } };
}

function expectSameTables(incremental: Record<string, unknown[]>, full: Record<string, unknown[]>): void {
  expect(Object.keys(incremental).length).toBeGreaterThan(40);
  for (const table of Object.keys(full)) expect({ table, rows: incremental[table] }).toEqual({ table, rows: full[table] });
  expect(Object.keys(incremental).sort()).toEqual(Object.keys(full).sort());
}

// The demo data set, small: every model has rows, and the last day lands after the first build.
describe('a build skips the models whose inputs did not change', () => {
  let wh: Warehouse;
  let unchanged: WarehouseBuild;
  let afterDay: WarehouseBuild;
  let incremental: Record<string, unknown[]>;
  let full: Record<string, unknown[]>;

  beforeAll(async () => {
    let loadLastDay: () => Promise<void>;
    ({ wh, loadLastDay } = await demoWithoutLastDay());
    unchanged = await buildWarehouse(wh, { now: NOW });
    await loadLastDay();
    afterDay = await buildWarehouse(wh, { now: NOW });
    ({ before: incremental, full } = await withFullBuild(wh));
  }, 240_000);
  afterAll(closeAllWarehouses);

  it('keeps every model as it is when nothing was loaded since the last build', () => {
    expect(unchanged.status).toBe('success');
    expect([...strategies(unchanged)].filter(([, s]) => s !== 'unchanged')).toEqual([]);
  });

  it('after one new day, keeps the CRM models and rebuilds the message models', () => {
    expect(afterDay.status).toBe('success');
    const s = strategies(afterDay);
    expect(s.get('staging.stg_crm_contacts')).toBe('unchanged');
    expect(s.get('staging.stg_crm_deals')).toBe('unchanged');
    expect(s.get('staging.stg_whatsapp_messages')).toBe('incremental');
    expect(s.get('marts.fct_messages')).toBe('incremental');
    expect(s.get('marts.fct_outbound_messages')).toBe('incremental');
    expect(s.get('staging.stg_conversation_events')).toBe('incremental');
    expect(s.get('marts.agg_hourly_activity_weekly')).toBe('table');
    expect(s.get('marts.agg_churn_weekly')).toBe('incremental');
  });

  it('leaves every staging and marts table as a full build of the same data does', () => {
    expectSameTables(incremental, full);
  });

  it('rebuilds every model once the inputs are forgotten (as retention and erasure do)', async () => {
    await wh.withConnection((conn) => forgetModelInputs(conn));
    const after = await buildWarehouse(wh, { now: NOW });
    expect(after.status).toBe('success');
    expect([...strategies(after)].filter(([, s]) => s === 'unchanged')).toEqual([]);
  });
});

// The server after webhook deliveries: the fast build of marts.fct_messages, then the complete build.
describe('the fast build after deliveries, then the complete build', () => {
  let wh: Warehouse;
  let fast: BuildResult;
  let complete: WarehouseBuild;
  let incremental: Record<string, unknown[]>;
  let full: Record<string, unknown[]>;

  beforeAll(async () => {
    let loadLastDay: () => Promise<void>;
    ({ wh, loadLastDay } = await demoWithoutLastDay());
    await loadLastDay();
    fast = await buildMessages(wh);
    complete = await buildWarehouse(wh, { now: NOW });
    ({ before: incremental, full } = await withFullBuild(wh));
  }, 240_000);
  afterAll(closeAllWarehouses);

  it('builds marts.fct_messages first and leaves it to the complete build as it is', () => {
    expect(fast.status).toBe('success');
    expect(fast.results.find((r) => r.model === 'marts.fct_messages')?.strategy).toBe('incremental');
    expect(complete.status).toBe('success');
    expect(strategies(complete).get('marts.fct_messages')).toBe('unchanged');
    expect(strategies(complete).get('marts.fct_responses')).toBe('incremental');
  });

  it('ends with every staging and marts table as a full build of the same data has it', () => {
    expectSameTables(incremental, full);
  });
});
