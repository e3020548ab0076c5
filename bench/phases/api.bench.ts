import autocannon from 'autocannon';
import type { Figure, Phase, ScaleName } from '../lib/context.ts';
import { authHeader, benchMessageTime, signedDelivery, startBenchServer, type BenchServer } from '../lib/server.ts';

/** Requests per mart endpoint and signed webhook deliveries per run (bounded: no open-ended load). */
const MART_REQUESTS = { XS: 100, S: 500, DEMO: 1_000, MID: 2_000, M: 2_000 } as const;
const WEBHOOK_POSTS = { XS: 200, S: 2_000, DEMO: 5_000, MID: 10_000, M: 10_000 } as const;
const CONNECTIONS = 16;
/** Webhook senders in flight: group commit turns concurrency into bigger transactions. */
const WEBHOOK_CONNECTIONS = 128;

/** Requests completed per second of the whole run. */
const rate = (r: autocannon.Result) => r.requests.total / r.duration;

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
        const r = await autocannon({ url: server.url + route, connections: CONNECTIONS, amount: MART_REQUESTS[ctx.scale], headers: authHeader });
        const bad = r.non2xx + r.errors + r.timeouts;
        figures.push({ name: `${name}: \`GET ${route}\``, value: `${Math.round(rate(r)).toLocaleString('en-US')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (${r.requests.sent} requests${bad ? `, ${bad} failed` : ''})`, bar: 'p99 under 50 ms', met: r.latency.p99 < 50 && bad === 0 });
      }
      figures.push(...(await webhookLoad(ctx.scale, server, notes)));
    } finally {
      await server.stop();
    }
    return { phase: this.name, figures, notes };
  },
};

/** Signed deliveries through autocannon, then counted in raw and staging. */
async function webhookLoad(scale: ScaleName, server: BenchServer, notes: string[]): Promise<Figure[]> {
  const n = WEBHOOK_POSTS[scale];
  const tag = `BENCH${Date.now()}`;
  const sentAt = await benchMessageTime(server);
  // Signed up front: signing is the sender's work, not the receiver's.
  const deliveries = Array.from({ length: n }, (_, i) => signedDelivery(`wamid.${tag}.${i}`, `8529100${String(i % 1000).padStart(4, '0')}`, sentAt));
  const [{ before }] = (await server.sql<{ before: number }>('select coalesce(max(load_id), 0) as before from ops.loads')) as [{ before: number }];
  let next = 0;
  const r = await autocannon({
    url: server.url,
    connections: WEBHOOK_CONNECTIONS,
    amount: n,
    requests: [{
      method: 'POST',
      path: '/webhooks/whatsapp',
      setupRequest: (req) => {
        const d = deliveries[next++ % n]!;
        return { ...req, body: d.body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature } };
      },
    }],
  });
  const failed = r.non2xx + r.errors + r.timeouts;
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
  const exact = raw.n === n && raw.d === n && stg.n === n && stg.d === n && failed === 0;
  notes.push(`Webhook: ${n.toLocaleString('en-US')} deliveries from ${WEBHOOK_CONNECTIONS} connections, each a distinct message signed with HMAC-SHA256; afterwards raw.whatsapp_payloads has ${raw.n} new rows (${raw.d} distinct) and staging.stg_whatsapp_messages ${stg.n} (${stg.d} distinct) once the debounced build ran.`);
  return [
    { name: `webhook: ${n.toLocaleString('en-US')} signed POSTs`, value: `${Math.round(rate(r)).toLocaleString('en-US')} POST/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${failed ? `, ${failed} failed` : ''}`, bar: '5,000 POST/s', met: rate(r) >= 5000 },
    { name: 'webhook: none lost, none stored twice (raw and staging counted)', value: `raw ${raw.n}/${n}, staging ${stg.n}/${n}`, bar: 'exactly once', met: exact },
  ];
}
