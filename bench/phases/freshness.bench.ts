import type { Phase } from '../lib/context.ts';
import { fmtSeconds, summarise } from '../lib/measure.ts';
import { benchMessageTime, signedDelivery, startBenchServer } from '../lib/server.ts';

/** Longest wait for one message before the run counts as failed. */
const GIVE_UP_MS = 120_000;
const POLL_MS = 25;

/**
 * Freshness: a signed webhook POSTed to a running server, then polled through the SQL API
 * until the message is in `marts.fct_messages`. Nothing but the server's debounced build
 * after the delivery (api/app.ts: the fast build of marts.fct_messages) carries it there.
 * Several deliveries, one at a time.
 */
export const freshnessPhase: Phase = {
  key: 'freshness',
  name: 'Freshness: webhook to marts.fct_messages',
  async run(ctx) {
    const server = await startBenchServer(ctx);
    const seconds: number[] = [];
    const tries = Math.max(5, ctx.repeats);
    try {
      const [{ before }] = (await server.sql<{ before: number }>('select coalesce(max(load_id), 0) as before from ops.loads')) as [{ before: number }];
      const sentAt = await benchMessageTime(server);
      for (let i = 0; i < tries; i++) {
        const wamid = `wamid.FRESH${Date.now()}.${i}`;
        const d = signedDelivery(wamid, '85291009999', sentAt);
        const t0 = performance.now();
        const r = await fetch(`${server.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': d.signature }, body: d.body });
        if (r.status !== 200) throw new Error(`webhook POST answered ${r.status}: ${await r.text()}`);
        for (;;) {
          const [{ n }] = (await server.sql<{ n: number }>(`select count(*) as n from marts.fct_messages where load_id > ${before} and message_id = '${wamid}'`)) as [{ n: number }];
          if (n > 0) break;
          if (performance.now() - t0 > GIVE_UP_MS) throw new Error(`${wamid} not in marts.fct_messages after ${GIVE_UP_MS / 1000} s`);
          await new Promise((res) => setTimeout(res, POLL_MS));
        }
        seconds.push((performance.now() - t0) / 1000);
        ctx.log(`  delivery ${i + 1}/${tries}: visible after ${seconds.at(-1)!.toFixed(2)} s`);
        // Let the build that carried it finish before the next delivery, so each waits for its own.
        await new Promise((res) => setTimeout(res, 1000));
      }
    } finally {
      await server.stop();
    }
    const s = summarise(seconds);
    return {
      phase: this.name,
      figures: [{ name: 'signed POST until visible in marts.fct_messages', value: fmtSeconds(s), bar: 'under 3 s', met: s.median < 3 }],
      notes: ['After a short quiet time (api/webhook/debounced-build.ts) the server runs the fast build of marts.fct_messages and the models it reads (warehouse/messages-build.ts; models whose inputs did not change are kept); the complete build follows 10 s after deliveries stop. The bench polls the SQL API every 25 ms.'],
    };
  },
};
