import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_STAFF } from '../../../pipelines/demo/export-writer.ts';
import { writeDemo } from '../../../pipelines/demo/write-demo.ts';
import { runAll } from '../../../pipelines/run-all.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { count, tempWarehouse } from '../../helpers/temp-warehouse.ts';

const PARAMS = { days: 42, customers: 300, seed: 3, end: '2026-11-23', tz: 'Asia/Hong_Kong' };

describe('demo chat exports of the WhatsApp Business app branch', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    writeDemo(PARAMS, wh.config.landingDir);
    const { runs, build } = await runAll(wh, { trigger: 'test' });
    expect(runs.map((r) => [r.source, r.status, r.rowsQuarantined])).toContainEqual(['whatsapp-export', 'success', 0]);
    expect(build?.status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('writes Android and iOS exports in English, Korean and Chinese layouts', () => {
    const dir = path.join(wh.config.landingDir, 'exports');
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.txt')).sort();
    expect(files).toEqual([
      'WhatsApp Chat - 尖沙咀公司訂單/_chat.txt',
      'WhatsApp Chat - 陳大文/_chat.txt',
      'WhatsApp Chat with +852 5123 4567.txt',
      'WhatsApp Chat with Grace Yip.txt',
      'WhatsApp Chat with 김하늘.txt',
    ]);
    const first = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').find((l) => /\d/.test(l) && !l.includes('end-to-end') && !l.includes('암호화') && !l.includes('加密') && !l.includes('群組'))!;
    expect(first('WhatsApp Chat with Grace Yip.txt')).toMatch(/^\d{2}\/\d{2}\/2026, \d{2}:\d{2} - /);
    expect(first('WhatsApp Chat with +852 5123 4567.txt')).toMatch(/^\d{1,2}\/\d{1,2}\/26, \d{1,2}:\d{2}\u202f[AP]M - /);
    expect(first('WhatsApp Chat with 김하늘.txt')).toMatch(/^2026\. \d{1,2}\. \d{1,2}\. 오[전후] \d{1,2}:\d{2} - /);
    expect(first('WhatsApp Chat - 陳大文/_chat.txt')).toMatch(/^\[2026\/\d{1,2}\/\d{1,2} [上下]午\d{1,2}:\d{2}:\d{2}\] /);
  });

  it('loads the staff as agents and the branch customers as customers of their own', async () => {
    const agents = await wh.query<{ name: string }>(`select name from staging.stg_agents where agent_id like 'export:agent-%' order by name`);
    expect(agents.map((a) => a.name)).toEqual([...EXPORT_STAFF].sort());
    const customers = await count(wh, `select count(distinct customer_phone_e164) as n from staging.stg_messages where source = 'whatsapp-export'`);
    expect(customers).toBe(6);
    const shared = await count(
      wh,
      `select count(*) as n from (select distinct customer_phone_e164 from staging.stg_messages where source = 'whatsapp-export')
       where customer_phone_e164 in (select customer_phone_e164 from staging.stg_messages where source <> 'whatsapp-export')`,
    );
    expect(shared).toBe(0);
  });

  it('has replies, multi-line quotes, media and system lines, all inside the demo window', async () => {
    const [row] = await wh.query<Record<string, number>>(
      `select count(*) filter (where direction = 'inbound') as inbound, count(*) filter (where direction = 'outbound') as outbound,
              count(*) filter (where is_media) as media, count(*) filter (where text like '%' || chr(10) || '%') as multiline,
              count(*) filter (where timezone('Asia/Hong_Kong', sent_at) >= timestamp '2026-11-23' or timezone('Asia/Hong_Kong', sent_at) < timestamp '2026-10-12') as outside
       from staging.stg_messages where source = 'whatsapp-export'`,
    );
    expect(row!.inbound).toBeGreaterThan(20);
    expect(row!.outbound).toBeGreaterThan(10);
    expect(row!.media).toBeGreaterThan(0);
    expect(row!.multiline).toBeGreaterThan(0);
    expect(row!.outside).toBe(0);
    const [run] = await wh.query<{ details: string }>(`select details from ops.pipeline_runs where source = 'whatsapp-export'`);
    expect(JSON.parse(run!.details).counters.system_lines).toBeGreaterThanOrEqual(5);
  });
});
