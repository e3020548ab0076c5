import fs from 'node:fs';
import path from 'node:path';
import { buildWarehouse } from '../../warehouse/build.ts';
import { closeAllWarehouses, openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import type { Figure, Phase } from '../lib/context.ts';
import { fmtSeconds, summarise, type Sample } from '../lib/measure.ts';
import { duckdbDialect, peerSql, postgresDialect, QUESTIONS, type Question } from '../lib/peer-sql.ts';
import { startPostgres, type PeerPostgres } from '../lib/postgres.ts';
import { authHeader, startBenchServer, type BenchServer } from '../lib/server.ts';

type Row = Record<string, unknown>;

/** The staging data PostgreSQL gets: the columns the four questions read. */
const EXPORTS: Record<string, string> = {
  stg_messages: 'select message_id, conversation_id, customer_phone_e164, direction, sender_kind, agent_id, message_type, sent_at, sent_at_local from staging.stg_messages',
  int_customer_phones: 'select phone_e164, customer_id from staging.int_customer_phones',
  message_tags: 'select message_id, unnest(tags) as tag from staging.int_message_text',
  stg_crm_deals: 'select vendor, deal_id, phone_e164, payment_method, created_at from staging.stg_crm_deals',
  stg_crm_deal_stages: 'select vendor, deal_id, stage, valid_from from staging.stg_crm_deal_stages',
};

/** Indexes a PostgreSQL engineer would add for these questions (joins and the window's order). */
const INDEXES = [
  'create index on s.stg_messages (conversation_id, sent_at)',
  'create index on s.stg_messages (customer_phone_e164)',
  'create index on s.int_customer_phones (phone_e164)',
  'create index on s.message_tags (tag, message_id)',
  'create index on s.stg_crm_deals (phone_e164)',
  'create index on s.stg_crm_deal_stages (vendor, deal_id)',
];

/** How each question's rows are keyed and which of their values must agree. */
const SHAPE: Record<Question, { key: string[]; values: string[] }> = {
  'weekly median response per agent': { key: ['agent_id', 'week'], values: ['responses', 'median_response_seconds'] },
  'weekday x hour heatmap': { key: ['week', 'local_weekday', 'local_hour'], values: ['inbound_messages', 'outbound_messages'] },
  'funnel conversion by cohort': { key: ['week'], values: ['first_contact', 'engaged', 'quoted', 'ordered', 'paid'] },
  'churn inputs': { key: ['customer_id'], values: ['baseline_weeks', 'recent_weeks', 'baseline_weekly_rate', 'recent_weekly_rate'] },
};

/** Every week the marts hold (the routes default to the last complete week only). */
const ALL_WEEKS = 'from_week=2000-W01&to_week=2099-W52';

/** The API route answering each question from its mart, and its rows in the question's shape. */
const API: Record<Question, { route: string; rows(body: { rows: Row[] }): Row[] }> = {
  'weekly median response per agent': { route: `/api/metrics/response-times?${ALL_WEEKS}`, rows: (b) => b.rows.filter((r) => Number(r.responses) > 0) },
  'weekday x hour heatmap': { route: `/api/metrics/heatmap?${ALL_WEEKS}`, rows: (b) => b.rows.filter((r) => Number(r.inbound_messages) + Number(r.outbound_messages) > 0) },
  'funnel conversion by cohort': {
    route: `/api/metrics/funnel?${ALL_WEEKS}`,
    rows: (b) => {
      const weeks = new Map<string, Row>();
      for (const r of b.rows) {
        const w = weeks.get(String(r.week)) ?? { week: r.week };
        w[String(r.stage)] = r.entered;
        weeks.set(String(r.week), w);
      }
      return [...weeks.values()];
    },
  },
  'churn inputs': { route: '/api/churn?limit=10000', rows: (b) => b.rows },
};

/**
 * The same four questions answered three ways in one run: Parley's API from its marts
 * (HTTP GET), the same plain SQL over the staging tables in DuckDB, and PostgreSQL 15 over
 * the same staging data loaded with COPY (indexed, ANALYZEd). The answers must agree.
 */
export const peerPhase: Phase = {
  key: 'peer',
  name: 'Peer: PostgreSQL 15 vs Parley (marts via API, staging SQL in DuckDB)',
  async run(ctx) {
    const tz = ctx.config.tz;
    const exportDir = path.join(ctx.config.dataDir, 'peer-export');
    fs.rmSync(exportDir, { recursive: true, force: true });
    fs.mkdirSync(exportDir, { recursive: true });
    const notes: string[] = [];
    const runs = ctx.repeats;

    // (b) DuckDB: the marts brought up to date by the one build function, staging exported, the SQL timed.
    const wh = await openWarehouse(ctx.config);
    const types: Record<string, string[]> = {};
    const duck = {} as Record<Question, { sample: Sample; rows: Row[] }>;
    try {
      await buildWarehouse(wh, {});
      for (const [table, sql] of Object.entries(EXPORTS)) {
        types[table] = (await wh.query<{ column_name: string; column_type: string }>(`describe ${sql}`)).map((c) => `${c.column_name} ${pgType(c.column_type)}`);
        await wh.run(`copy (${sql}) to '${path.join(exportDir, `${table}.csv`)}' (format csv, header false)`);
      }
      const sql = peerSql(duckdbDialect(tz));
      for (const q of QUESTIONS) duck[q] = await timeDuck(wh, sql[q], runs);
    } finally {
      await closeAllWarehouses();
    }

    // (c) PostgreSQL over the same data.
    const pgTimes = {} as Record<Question, { sample: Sample; rows: Row[] }>;
    const pg = await startPostgres(ctx.log);
    try {
      const t0 = performance.now();
      await pg.psql('create schema s');
      for (const [table, cols] of Object.entries(types)) {
        await pg.psql(`create table s.${table} (${cols.join(', ')})`);
        await pg.copyIn(`s.${table}`, path.join(exportDir, `${table}.csv`));
      }
      for (const ix of INDEXES) await pg.psql(ix);
      await pg.psql('vacuum analyze');
      notes.push(`PostgreSQL 15 load: COPY of ${Object.keys(types).length} staging tables, ${INDEXES.length} indexes and VACUUM ANALYZE took ${((performance.now() - t0) / 1000).toFixed(1)} s (not part of the ratios). Settings: shared_buffers 1GB, work_mem 256MB, 2 parallel workers per gather, fsync off.`);
      const sql = peerSql(postgresDialect(tz));
      for (const q of QUESTIONS) pgTimes[q] = await timePg(pg, sql[q], runs);
      notes.push(...(await explainSlowest(pg, sql, pgTimes)));
    } finally {
      await pg.stop();
      fs.rmSync(exportDir, { recursive: true, force: true });
    }

    // (a) Parley's API answering from the marts.
    const api = {} as Record<Question, { sample: Sample; rows: Row[] }>;
    const server = await startBenchServer(ctx);
    try {
      for (const q of QUESTIONS) api[q] = await timeApi(server, q, Math.max(5, runs));
    } finally {
      await server.stop();
    }

    const figures: Figure[] = [];
    let agreeAll = true;
    for (const q of QUESTIONS) {
      const duckVsPg = compare(q, duck[q].rows, pgTimes[q].rows, false);
      const apiVsPg = compare(q, api[q].rows, pgTimes[q].rows, q === 'churn inputs');
      const agree = duckVsPg.ok && apiVsPg.ok;
      agreeAll &&= agree;
      notes.push(`${q}: PostgreSQL ${pgTimes[q].rows.length} rows; DuckDB staging SQL ${duckVsPg.summary}; API ${apiVsPg.summary}.`);
      figures.push({ name: `${q}: API from marts`, value: fmtMs(api[q].sample) });
      figures.push({ name: `${q}: DuckDB, same SQL over staging`, value: fmtSeconds(duck[q].sample) });
      figures.push({ name: `${q}: PostgreSQL 15, same SQL over staging`, value: fmtSeconds(pgTimes[q].sample) });
      figures.push({ name: `${q}: API vs PostgreSQL`, value: `${ratio(pgTimes[q].sample, api[q].sample)}x`, bar: 'at least 100x', met: pgTimes[q].sample.median / api[q].sample.median >= 100 });
      figures.push({ name: `${q}: DuckDB staging SQL vs PostgreSQL`, value: `${ratio(pgTimes[q].sample, duck[q].sample)}x`, bar: 'at least 5x', met: pgTimes[q].sample.median / duck[q].sample.median >= 5 });
    }
    const total = (t: Record<Question, { sample: Sample }>) => QUESTIONS.reduce((n, q) => n + t[q].sample.median, 0);
    figures.push({ name: 'all four: API vs PostgreSQL (sum of medians)', value: `${(total(pgTimes) / total(api)).toFixed(total(pgTimes) / total(api) >= 100 ? 0 : 1)}x`, bar: 'at least 100x', met: total(pgTimes) / total(api) >= 100 });
    figures.push({ name: 'all four: DuckDB staging SQL vs PostgreSQL (sum of medians)', value: `${(total(pgTimes) / total(duck)).toFixed(1)}x`, bar: 'at least 5x', met: total(pgTimes) / total(duck) >= 5 });
    figures.push({ name: 'answers agree (API, DuckDB and PostgreSQL)', value: agreeAll ? 'yes' : 'no (see notes)', bar: 'same rows and values', met: agreeAll });
    notes.push('API times are HTTP GETs to `parley serve` on 127.0.0.1 until the whole body has arrived (JSON encoding and transfer included, its JSON.parse in the bench not); DuckDB times are `wh.query` in the bench process (rows converted to JS); PostgreSQL times are psql `\\timing` (round trip, rows transferred as CSV).');
    return { phase: this.name, figures, notes };
  },
};

/** PostgreSQL column type of a DuckDB one. */
function pgType(duck: string): string {
  if (duck.startsWith('TIMESTAMP WITH TIME ZONE')) return 'timestamptz';
  if (duck.startsWith('TIMESTAMP')) return 'timestamp';
  if (duck.startsWith('DECIMAL')) return 'numeric';
  const map: Record<string, string> = { VARCHAR: 'text', BIGINT: 'bigint', INTEGER: 'integer', BOOLEAN: 'boolean', DOUBLE: 'double precision', DATE: 'date', UBIGINT: 'numeric', HUGEINT: 'numeric' };
  const t = map[duck];
  if (!t) throw new Error(`no PostgreSQL type for DuckDB ${duck}`);
  return t;
}

async function timeDuck(wh: Warehouse, sql: string, runs: number): Promise<{ sample: Sample; rows: Row[] }> {
  const seconds: number[] = [];
  let rows: Row[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = await wh.query(sql);
    seconds.push((performance.now() - t0) / 1000);
  }
  return { sample: summarise(seconds), rows };
}

async function timePg(pg: PeerPostgres, sql: string, runs: number): Promise<{ sample: Sample; rows: Row[] }> {
  const seconds: number[] = [];
  let csv = '';
  for (let i = 0; i < runs; i++) {
    const r = await pg.timed(sql);
    seconds.push(r.seconds);
    csv = r.csv;
  }
  return { sample: summarise(seconds), rows: parseCsv(csv) };
}

/**
 * Times the HTTP round trip until the whole body has arrived, as psql's \timing does for
 * PostgreSQL; the bench's own JSON.parse of the body (30+ ms for 10,000 churn rows) is the
 * client's work and stays outside the timing, like the CSV parse of PostgreSQL's answer.
 */
async function timeApi(server: BenchServer, q: Question, runs: number): Promise<{ sample: Sample; rows: Row[] }> {
  const seconds: number[] = [];
  let text = '';
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = await fetch(server.url + API[q].route, { headers: authHeader });
    const bytes = Buffer.from(await r.arrayBuffer());
    seconds.push((performance.now() - t0) / 1000);
    if (r.status !== 200) throw new Error(`GET ${API[q].route}: ${r.status} ${bytes.toString('utf8').slice(0, 500)}`);
    text = bytes.toString('utf8');
  }
  return { sample: summarise(seconds), rows: API[q].rows(JSON.parse(text) as { rows: Row[] }) };
}

/** EXPLAIN ANALYZE of PostgreSQL's slowest question, for the results' profile. */
async function explainSlowest(pg: PeerPostgres, sql: Record<Question, string>, times: Record<Question, { sample: Sample }>): Promise<string[]> {
  const slowest = QUESTIONS.reduce((a, b) => (times[a].sample.median >= times[b].sample.median ? a : b));
  const plan = await pg.psql(`explain (analyze, buffers off, costs off, timing on) ${sql[slowest]}`);
  const lines = plan.split('\n').slice(1).filter((l) => /actual time|Execution Time|Sort Method|Workers/.test(l)).slice(0, 14);
  return [`PostgreSQL plan of its slowest question (${slowest}), top nodes:\n\n\`\`\`\n${lines.map((l) => l.replace(/^"|"$/g, '')).join('\n')}\n\`\`\``];
}

/** Compares two answers on the question's key and values (numbers within 1e-6 relative). */
function compare(q: Question, got: Row[], want: Row[], subset: boolean): { ok: boolean; summary: string } {
  const { key, values } = SHAPE[q];
  const k = (r: Row) => key.map((c) => String(r[c] ?? '')).join('|');
  const wanted = new Map(want.map((r) => [k(r), r]));
  let missing = 0;
  let differ = 0;
  let example = '';
  for (const r of got) {
    const w = wanted.get(k(r));
    if (!w) {
      missing++;
      example ||= `row ${k(r)} not in PostgreSQL's answer`;
      continue;
    }
    for (const c of values) {
      if (!same(r[c], w[c])) {
        differ++;
        example ||= `${k(r)} ${c}: ${String(r[c])} vs PostgreSQL ${String(w[c])}`;
        break;
      }
    }
  }
  const countOk = subset ? got.length > 0 : got.length === want.length;
  const ok = countOk && missing === 0 && differ === 0;
  const rows = subset ? `${got.length} rows (the route's top ${got.length} by score), all in PostgreSQL's ${want.length}` : `${got.length} rows`;
  return { ok, summary: ok ? `${rows}, same values` : `${got.length} rows vs ${want.length}, ${missing} missing, ${differ} differing${example ? ` (e.g. ${example})` : ''}` };
}

function same(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.abs(x), Math.abs(y));
  return String(a) === String(b);
}

/** psql --csv output (a header, then rows; quoted fields may hold commas and quotes). */
function parseCsv(csv: string): Row[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') record.push(field), (field = '');
    else if (ch === '\n') record.push(field), records.push(record), (record = []), (field = '');
    else field += ch;
  }
  if (field || record.length) record.push(field), records.push(record);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
}

function ratio(slow: Sample, fast: Sample): string {
  const r = slow.median / fast.median;
  return r >= 100 ? r.toFixed(0) : r.toFixed(1);
}

function fmtMs(s: Sample): string {
  const f = (x: number) => (x * 1000).toFixed(x < 0.01 ? 2 : 1);
  return `${f(s.median)} ms (min ${f(s.min)}, max ${f(s.max)}, n=${s.runs})`;
}
