import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../../pipelines/demo/write-demo.ts';
import { runAll } from '../../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { count, tempWarehouse } from '../../helpers/temp-warehouse.ts';
import { tempDir } from '../../helpers/temp-dirs.ts';

const PARAMS = { days: 56, customers: 1500, seed: 7, end: '2026-11-23', tz: 'Asia/Hong_Kong' };

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

describe('demo generator', () => {
  it('writes byte-identical files for the same seed and different ones for another seed', () => {
    const tmp = tempDir('parley-demo-');
    writeDemo(PARAMS, path.join(tmp, 'a'));
    writeDemo(PARAMS, path.join(tmp, 'b'));
    writeDemo({ ...PARAMS, seed: 8 }, path.join(tmp, 'c'));
    const a = digest(path.join(tmp, 'a'));
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(2 * PARAMS.days);
    expect(digest(path.join(tmp, 'b'))).toEqual(a);
    expect(digest(path.join(tmp, 'c'))).not.toEqual(a);
  });
});

describe('demo data loaded through the real pipelines', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    writeDemo(PARAMS, wh.config.landingDir);
    const { runs, build } = await runAll(wh, { trigger: 'test' });
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'success'));
    expect(build?.status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  const inboundLocal = `select timezone('Asia/Hong_Kong', sent_at) as local_at from staging.stg_messages where direction = 'inbound'`;

  it('has the afternoon peak: about 35% of customer messages between 14:00 and 16:00 local', async () => {
    const [row] = await wh.query<{ share: number }>(`select avg(case when hour(local_at) in (14, 15) then 1 else 0 end) as share from (${inboundLocal})`);
    expect(row!.share).toBeGreaterThan(0.28);
    expect(row!.share).toBeLessThan(0.42);
  });

  it('has a Tuesday-morning bump over the other weekdays', async () => {
    const rows = await wh.query<{ dow: number; morning: number }>(
      `select isodow(local_at) as dow, count(*) filter (where hour(local_at) between 9 and 11) / count(distinct local_at::date) as morning from (${inboundLocal}) group by 1`,
    );
    const tuesday = rows.find((r) => r.dow === 2)!.morning;
    const others = rows.filter((r) => r.dow !== 2 && r.dow <= 5).map((r) => r.morning);
    expect(tuesday).toBeGreaterThan(1.5 * Math.max(...others));
  });

  it('speaks Cantonese, Korean and English, with emoji', async () => {
    const [row] = await wh.query<Record<string, number>>(
      `select count(*) filter (where regexp_matches(text, '[\\x{4E00}-\\x{9FFF}]')) as chinese,
              count(*) filter (where regexp_matches(text, '[\\x{AC00}-\\x{D7A3}]')) as korean,
              count(*) filter (where regexp_matches(text, '^[A-Za-z]')) as english,
              count(*) filter (where regexp_matches(text, '[\\x{1F300}-\\x{1FAFF}]')) as emoji
       from staging.stg_messages where direction = 'inbound'`,
    );
    for (const k of ['chinese', 'korean', 'english', 'emoji']) expect(row![k], k).toBeGreaterThan(100);
  });

  it('asks about price, discounts and delivery, and complains', async () => {
    for (const word of ['幾錢', '할인', 'delivery', '投訴']) {
      expect(await count(wh, `select count(*) as n from staging.stg_messages where direction = 'inbound' and text like '%${word}%'`), word).toBeGreaterThan(5);
    }
  });

  it('has agents of clearly different speed, bots, templates and unanswered customers', async () => {
    const speeds = await wh.query<{ agent_id: string; median_s: number }>(
      `with inbound as (select conversation_id, sent_at from staging.stg_messages where direction = 'inbound'),
            replies as (select conversation_id, agent_id, sent_at from staging.stg_messages where sender_kind = 'agent' and source = 'scrm-events')
       select r.agent_id, median(epoch(r.sent_at) - epoch(i.sent_at)) as median_s
       from replies r asof join inbound i on i.conversation_id = r.conversation_id and i.sent_at <= r.sent_at
       group by 1`,
    );
    const medians = speeds.map((s) => s.median_s).sort((a, b) => a - b);
    // the seven SCRM agents (the chat-export branch's staff are tested in whatsapp-export/demo-exports.test.ts)
    expect(speeds.length).toBe(7);
    expect(medians.at(-1)! / medians[0]!).toBeGreaterThan(3);
    const kinds = await wh.query<{ sender_kind: string; n: number }>(`select sender_kind, count(*) as n from staging.stg_messages group by 1 order by 1`);
    expect(kinds.map((k) => k.sender_kind)).toEqual(['agent', 'bot', 'customer', 'template']);
    const unanswered = await count(
      wh,
      `select count(*) as n from staging.stg_conversations c where not exists (select 1 from staging.stg_messages m where m.conversation_id = c.conversation_id and m.sender_kind = 'agent')`,
    );
    expect(unanswered).toBeGreaterThan(5);
  });

  it('has read receipts, failed sends and several pricing categories', async () => {
    const [row] = await wh.query<Record<string, number>>(
      `select count(read_at) as read, count(failed_at) as failed, count(*) filter (where error_code = 131047) as outside_window, count(distinct pricing_category) as categories
       from staging.stg_messages where direction = 'outbound'`,
    );
    expect(row!.read).toBeGreaterThan(1000);
    expect(row!.failed).toBeGreaterThan(10);
    expect(row!.outside_window).toBeGreaterThan(0);
    expect(row!.categories).toBe(3);
  });

  it('has customers who go quiet: from 3+ messages a week to at most 1', async () => {
    const quiet = await count(
      wh,
      `with weekly as (
         select customer_phone_e164, count(*) filter (where sent_at < timestamptz '2026-10-26') / 5.0 as early_rate,
                count(*) filter (where sent_at >= timestamptz '2026-11-09') / 2.0 as recent_rate
         from staging.stg_messages where direction = 'inbound' group by 1)
       select count(*) as n from weekly where early_rate >= 3 and recent_rate <= 1`,
    );
    expect(quiet).toBeGreaterThan(5);
  });

  it('includes a few malformed webhook lines, which land in quarantine', async () => {
    const q = await count(wh, `select count(*) as n from ops.quarantine where source = 'whatsapp-cloud'`);
    expect(q).toBeGreaterThan(0);
    expect(q).toBeLessThan(50);
  });
});
