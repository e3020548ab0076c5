import autocannon from 'autocannon';
import type { Figure, Phase, ScaleName } from '../lib/context.ts';
import { summarise, type Sample } from '../lib/measure.ts';
import { authHeader, benchMessageTime, signedDelivery, startBenchServer, type BenchServer } from '../lib/server.ts';

/** Requests per mart endpoint and signed webhook deliveries per run (bounded: no open-ended load). */
const MART_REQUESTS = { XS: 100, S: 500, DEMO: 1_000, MID: 2_000, M: 2_000 } as const;
const WEBHOOK_POSTS = { XS: 200, S: 2_000, DEMO: 5_000, MID: 10_000, M: 10_000 } as const;
const CONNECTIONS = 16;
/** Webhook senders in flight: group commit turns concurrency into bigger transactions. */
const WEBHOOK_CONNECTIONS = 128;

/**
 * autocannon ends a run (and stamps its duration) at its next sample tick, not when the last
 * answer arrives: with its default 1 s samples, 10,000 POSTs answered in 1.3 s counted as 2 s
 * (a rate capped at 5,000/s). Sampling every 10 ms makes the duration the run's own.
 */
const SAMPLE_MS = 10;

/** Requests completed per second of the whole run. */
const rate = (r: autocannon.Result) => r.requests.total / r.duration;

/** Requests that did not get a 2xx answer in time. */
const failures = (r: autocannon.Result) => r.non2xx + r.errors + r.timeouts;

/** The p99 latencies of repeated runs. */
const p99Of = (runs: readonly autocannon.Result[]): Sample => summarise(runs.map((r) => r.latency.p99));

/** Rate and latency of repeated autocannon runs: medians first, then the spread over the runs. */
function fmtLoad(runs: readonly autocannon.Result[], unit: string): string {
  const rates = summarise(runs.map(rate));
  const p50 = summarise(runs.map((r) => r.latency.p50));
  const p99 = p99Of(runs);
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const failed = runs.reduce((sum, r) => sum + failures(r), 0);
  const spread = runs.length > 1 ? `medians of n=${runs.length}; ${unit} min ${n(rates.min)}, max ${n(rates.max)}; p99 min ${p99.min}, max ${p99.max} ms; ` : '';
  return `${n(rates.median)} ${unit}, p50 ${p50.median} ms, p99 ${p99.median} ms (${spread}${runs[0]!.requests.sent.toLocaleString('en-US')} requests${runs.length > 1 ? ' each' : ''}${failed ? `, ${failed} failed` : ''})`;
}

/** The mart routes the dashboard's report, staffing and churn pages call, with the bench week. */
async function martPaths(server: BenchServer): Promise<Record<string, string>> {
  const [{ week }] = (await server.sql<{ week: string }>('select max(week) as week from marts.rpt_service_efficiency_weekly')) as [{ week: string }];
  const staffing = (await server.get('/api/staffing')) as { rows: { from_week?: string; to_week?: string }[] };
  const from = staffing.rows[0]?.from_week ?? week;
  const to = staffing.rows[0]?.to_week ?? week;
  return {
    'service-efficiency report': `/api/reports/service-efficiency?week=${week}`,
    'staffing heatmap': '/api/staffing',
    'response heatmap': `/api/metrics/response-heatmap?from_week=${from}&to_week=${to}`,
    churn: '/api/churn',
  };
}

/**
 * The API under load: autocannon against the report, staffing/response heatmaps and churn
 * on 127.0.0.1 (requests/s, p50, p99), then the webhook receiver with signed deliveries each
 * carrying a distinct message (POST/s), verified afterwards by counting raw and staging rows.
 * Each load runs `--repeats` times: medians, with the spread over the runs.
 */
export const apiPhase: Phase = {
  key: 'api',
  name: 'API: mart endpoints and webhook receiver under autocannon',
  async run(ctx) {
    const server = await startBenchServer(ctx);
    const figures: Figure[] = [];
    const notes: string[] = [`Server: \`parley serve --no-demo --no-schedule\` in its own process (pid ${server.pid}) on ${server.url}; autocannon in the bench process with ${CONNECTIONS} connections; both share the machine's 2 cores.`];
    try {
      for (const [name, route] of Object.entries(await martPaths(server))) {
        await server.get(route); // warm: the first answer compiles the route's schema
        const runs: autocannon.Result[] = [];
        for (let i = 0; i < ctx.repeats; i++) runs.push(await autocannon({ url: server.url + route, connections: CONNECTIONS, amount: MART_REQUESTS[ctx.scale], sampleInt: SAMPLE_MS, headers: authHeader }));
        const bad = runs.reduce((sum, r) => sum + failures(r), 0);
        figures.push({ name: `${name}: \`GET ${route}\``, value: fmtLoad(runs, 'req/s'), bar: 'p99 under 50 ms', met: p99Of(runs).median < 50 && bad === 0 });
      }
      figures.push(...(await webhookLoad(ctx.scale, ctx.repeats, server, notes)));
    } finally {
      await server.stop();
    }
    return { phase: this.name, figures, notes };
  },
};

/** One webhook load: how autocannon saw it and what was stored afterwards. */
interface WebhookRun {
  readonly result: autocannon.Result;
  readonly raw: { n: number; d: number };
  readonly stg: { n: number; d: number };
}

/**
 * `repeats` rounds of signed deliveries through autocannon, each round with messages of its
 * own, counted in raw and staging before the next round starts.
 */
async function webhookLoad(scale: ScaleName, repeats: number, server: BenchServer, notes: string[]): Promise<Figure[]> {
  const n = WEBHOOK_POSTS[scale];
  const runs: WebhookRun[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await webhookRound(n, `BENCH${Date.now()}R${i}`, server));
  const sum = (f: (r: WebhookRun) => number) => runs.reduce((total, r) => total + f(r), 0);
  const total = n * runs.length;
  const exact = runs.every((r) => r.raw.n === n && r.raw.d === n && r.stg.n === n && r.stg.d === n && failures(r.result) === 0);
  const rates = summarise(runs.map((r) => rate(r.result)));
  notes.push(
    `Webhook: ${runs.length} round${runs.length === 1 ? '' : 's'} of ${n.toLocaleString('en-US')} deliveries from ${WEBHOOK_CONNECTIONS} connections, each a distinct message signed with HMAC-SHA256; afterwards raw.whatsapp_payloads has ${sum((r) => r.raw.n)} new rows (${sum((r) => r.raw.d)} distinct) and staging.stg_whatsapp_messages ${sum((r) => r.stg.n)} (${sum((r) => r.stg.d)} distinct) once the debounced build ran (each round counted before the next).`,
  );
  return [
    { name: `webhook: ${n.toLocaleString('en-US')} signed POSTs`, value: fmtLoad(runs.map((r) => r.result), 'POST/s'), bar: '5,000 POST/s', met: rates.median >= 5000 },
    { name: 'webhook: none lost, none stored twice (raw and staging counted)', value: `raw ${sum((r) => r.raw.n)}/${total}, staging ${sum((r) => r.stg.n)}/${total}`, bar: 'exactly once', met: exact },
  ];
}

/** Signed deliveries through autocannon, then counted in raw and staging. */
async function webhookRound(n: number, tag: string, server: BenchServer): Promise<WebhookRun> {
  const sentAt = await benchMessageTime(server);
  // Signed up front: signing is the sender's work, not the receiver's.
  const deliveries = Array.from({ length: n }, (_, i) => signedDelivery(`wamid.${tag}.${i}`, `8529100${String(i % 1000).padStart(4, '0')}`, sentAt));
  const [{ before }] = (await server.sql<{ before: number }>('select coalesce(max(load_id), 0) as before from ops.loads')) as [{ before: number }];
  let next = 0;
  const r = await autocannon({
    url: server.url,
    connections: WEBHOOK_CONNECTIONS,
    amount: n,
    sampleInt: SAMPLE_MS,
    requests: [{
      method: 'POST',
      path: '/webhooks/whatsapp',
      setupRequest: (req) => {
        const d = deliveries[next++ % n]!;
        return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature } };
      },
    }],
  });
  // Verify: every delivery stored once in raw, and once in staging after the debounced build.
  const rawSql = `select count(*) as n, count(distinct payload) as d from raw.whatsapp_payloads where load_id > ${before}`;
  const stgSql = `select count(*) as n, count(distinct message_id) as d from staging.stg_whatsapp_messages where load_id > ${before} and message_id like 'wamid.${tag}.%'`;
  const [raw] = (await server.sql<{ n: number; d: number }>(rawSql)) as [{ n: number; d: number }];
  let stg = { n: 0, d: 0 };
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    [stg] = (await server.sql<{ n: number; d: number }>(stgSql)) as [{ n: number; d: number }];
    if (stg.n >= n) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  return { result: r, raw, stg };
}
