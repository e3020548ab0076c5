import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/write-demo.ts';
import { runAll } from '../../../pipelines/run-all.ts';
import { runSource } from '../../../pipelines/loader.ts';
import { whatsappCloudSource } from '../../../pipelines/sources/whatsapp-cloud.source.ts';
import { crmCsvSource } from '../../../pipelines/sources/crm-csv.source.ts';
import { scrmEventsSource } from '../../../pipelines/sources/scrm-events.source.ts';
import { buildWarehouse, type WarehouseBuild } from '../../../warehouse/build.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { forgetModelInputs } from '../../../warehouse/model-inputs.ts';
import { erasePerson } from '../../../pipelines/erasure/erase-person.ts';
import { differences } from '../../helpers/table-differences.ts';
import { tempWarehouse } from '../../helpers/temp-warehouse.ts';

const NOW = () => new Date('2026-11-23T12:00:00Z');
/** The churn model and the models that read it: an incremental build must leave them as a full build does. */
const CHURN = ['agg_churn_weekly', 'churn_scores', 'agg_churn_backtest_weekly'];
/** The other incremental marts scoped by what the new rows touch (conversations, weeks, customers) and the models that read them. */
const SCOPED = [
  'agg_conversation_text', 'agg_keywords_weekly', 'fct_funnel', 'agg_funnel_weekly', 'rpt_sales_funnel_weekly',
  'agg_tags_weekly', 'agg_customer_sentiment_weekly', 'fct_deals', 'agg_send_hour_weekly',
];
const INCREMENTAL = ['agg_churn_weekly', 'agg_conversation_text', 'agg_keywords_weekly', 'fct_funnel', 'agg_tags_weekly', 'agg_customer_sentiment_weekly', 'fct_deals', 'agg_send_hour_weekly'];
const TABLES = [...CHURN, ...SCOPED];

const strategy = (b: WarehouseBuild, model: string) => b.results.find((r) => r.model === model)?.strategy;


// 70 days of the demo, so snapshots have 12 weeks of blocks and known 30-day outcomes. The
// first build lacks an older day and the last days; then the older day arrives late with all
// but the last of them and a re-delivery of an even older day (the same messages again), and
// the last day arrives alone. Each is built incrementally; then a full build of the same data.
// With the CRM late, the first build ends on Monday 2026-11-16 (the next days make the outcome
// of Monday 2026-10-19 known) and the CRM merges customers whose snapshots are built; with the
// CRM from the start, the merges of the first build are re-pointed by later data.
describe.each([
  { crm: 'late', held: ['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'] },
  { crm: 'from the start', held: ['2026-11-20'] },
])('marts.agg_churn_weekly built incrementally (CRM $crm)', ({ crm, held }) => {
  let wh: Warehouse;
  const builds: WarehouseBuild[] = [];
  let rows: Record<string, number>;
  let lastDays: string[];
  let merged: number;
  let erased = false;

  beforeAll(async () => {
    const t = await tempWarehouse();
    wh = t.wh;
    const landing = wh.config.landingDir;
    writeDemo({ days: 70, customers: 150, seed: 11, end: '2026-11-22', tz: 'Asia/Hong_Kong' }, landing);
    // Without the exported chats, which run to the end of the data: each delivery moves the last day.
    fs.rmSync(path.join(landing, 'exports'), { recursive: true, force: true });
    const aside = path.join(t.dir, 'aside');
    fs.mkdirSync(aside);
    const files = (day: string) => [path.join('whatsapp', `wa-${day}.ndjson`), path.join('scrm', `scrm-${day}.ndjson`)];
    const week = held;
    for (const day of ['2026-11-10', ...week, '2026-11-21']) for (const f of files(day)) fs.renameSync(path.join(landing, f), path.join(aside, path.basename(f)));
    const deliver = async (copies: [from: string, to: string][]) => {
      // Copied after the cursor, as a new delivery is.
      for (const [from, to] of copies) fs.copyFileSync(from, path.join(landing, to));
      for (const source of [whatsappCloudSource, scrmEventsSource]) expect((await runSource(wh, source, { trigger: 'test' })).status).toBe('success');
    };
    // The CRM exports run to the end of the data too (a source far behind the others fails the build).
    if (crm === 'late') fs.renameSync(path.join(landing, 'crm'), path.join(aside, 'crm'));
    const first = await runAll(wh, { trigger: 'test', now: NOW });
    expect(first.build?.error ?? first.build?.status).toBe('success');
    if (crm === 'late') {
      fs.renameSync(path.join(aside, 'crm'), path.join(landing, 'crm'));
      expect((await runSource(wh, crmCsvSource, { trigger: 'test' })).status).toBe('success');
    }
    await deliver([
      ...files('2026-11-10').map((f): [string, string] => [path.join(aside, path.basename(f)), f]),
      ...week.flatMap(files).map((f): [string, string] => [path.join(aside, path.basename(f)), f]),
      [path.join(landing, 'whatsapp', 'wa-2026-11-05.ndjson'), path.join('whatsapp', 'wa-2026-11-05-again.ndjson')],
    ]);
    builds.push(await buildWarehouse(wh, { now: NOW }));
    merged = Number((await wh.query<{ n: number }>(`select count(*) as n from ops.customer_merges`))[0]!.n);
    await deliver(files('2026-11-21').map((f): [string, string] => [path.join(aside, path.basename(f)), f]));
    builds.push(await buildWarehouse(wh, { now: NOW }));
    await wh.run('create schema kept');
    for (const table of TABLES) await wh.run(`create table kept.${table} as select * from marts.${table}`);
    builds.push(await buildWarehouse(wh, { now: NOW, full: true }));
    lastDays = (await wh.query<{ d: string }>(`select distinct (as_of_date - 1)::varchar as d from kept.agg_churn_weekly where is_current`)).map((r) => r.d);
    rows = Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, Number((await wh.query<{ n: number }>(`select count(*) as n from kept.${table}`))[0]!.n)])));
  }, 300_000);
  afterAll(closeAllWarehouses);

  it.each(INCREMENTAL)('merges the new day into marts.%s instead of rebuilding it', (model) => {
    expect(builds.map((b) => b.status)).toEqual(['success', 'success', 'success']);
    // fct_deals reads no message: the last day alone changes none of its inputs, so it is kept.
    const second = model === 'fct_deals' ? ['incremental', 'unchanged'] : ['incremental'];
    expect(strategy(builds[0]!, `marts.${model}`)).toBe('incremental');
    expect(second).toContain(strategy(builds[1]!, `marts.${model}`));
    expect(strategy(builds[2]!, `marts.${model}`)).toBe('full');
  });

  it('has data worth comparing: snapshots with known outcomes, a current list, a backtest', async () => {
    expect(lastDays).toEqual(['2026-11-21']);
    expect(merged).toBeGreaterThan(0);
    expect(rows.agg_churn_weekly).toBeGreaterThan(400);
    expect(rows.churn_scores).toBeGreaterThan(50);
    expect(rows.agg_churn_backtest_weekly).toBeGreaterThan(0);
    expect(rows.agg_conversation_text).toBeGreaterThan(100);
    expect(rows.agg_keywords_weekly).toBeGreaterThan(150);
    expect(rows.fct_funnel).toBeGreaterThan(100);
    expect(rows.agg_tags_weekly).toBeGreaterThan(50);
    expect(rows.agg_customer_sentiment_weekly).toBeGreaterThan(150);
    expect(rows.fct_deals).toBeGreaterThan(20);
    expect(rows.agg_send_hour_weekly).toBeGreaterThan(100);
    const [known] = await wh.query<{ n: number }>(`select count(*) as n from kept.agg_churn_weekly where is_outcome_known and came_back_within_30d`);
    expect(Number(known!.n)).toBeGreaterThan(100);
  });

  it.each(TABLES)('leaves marts.%s with exactly the rows of a full build of the same data', async (table) => {
    expect(await differences(wh, `marts.${table}`, `kept.${table}`)).toBe(0);
  });

  it('rebuilds them whole after rows were deleted outside a build (retention, erasure)', async () => {
    await wh.withConnection((conn) => forgetModelInputs(conn));
    const after = await buildWarehouse(wh, { now: NOW });
    expect(after.status).toBe('success');
    for (const model of INCREMENTAL) expect(strategy(after, `marts.${model}`)).toBe('full');
  });

  it.each(SCOPED)('leaves marts.%s as a full build does after an erasure and a build', async (table) => {
    if (!erased) {
      // The customer with the most conversations: rows in every scoped mart.
      const [person] = await wh.query<{ phone: string }>(`select any_value(customer_phone_e164) as phone from marts.fct_messages where customer_id is not null group by customer_id order by count(distinct conversation_id) desc, customer_id limit 1`);
      await erasePerson(wh, person!.phone);
      expect((await buildWarehouse(wh, { now: NOW })).status).toBe('success');
      await wh.run('drop schema kept cascade');
      await wh.run('create schema kept');
      for (const t of SCOPED) await wh.run(`create table kept.${t} as select * from marts.${t}`);
      expect((await buildWarehouse(wh, { now: NOW, full: true })).status).toBe('success');
      erased = true;
    }
    expect(await differences(wh, `marts.${table}`, `kept.${table}`)).toBe(0);
  });
});
