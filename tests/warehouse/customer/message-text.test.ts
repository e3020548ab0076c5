import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { Scenario, serviceWarehouse } from '../../helpers/service-scenario.ts';

describe('message text in the marts', () => {
  let wh: Warehouse;
  let s: Scenario;
  let reply: string;

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    s = new Scenario(wh);
    s.inbound('85291990001', '2026-11-16 10:00:00', '배송이 너무 늦어요 불만입니다 😡');
    s.inbound('85291990002', '2026-11-16 10:30:00', '有冇折扣呀？');
    reply = s.agent('85291990001', '2026-11-16 10:02:00', 'a1', 'So sorry! Your order ships today 📦');
    await s.load();
    expect((await s.build()).status).toBe('success');
  });
  afterAll(closeAllWarehouses);

  it('fills language, sentiment, tags and emoji of fct_messages through the real pipeline', async () => {
    const rows = await wh.query(`select text, language, sentiment < 0.2 as is_negative, tags, has_emoji from marts.fct_messages order by sent_at`);
    expect(rows).toEqual([
      { text: '배송이 너무 늦어요 불만입니다 😡', language: 'ko', is_negative: true, tags: ['complaint', 'delivery'], has_emoji: true },
      { text: 'So sorry! Your order ships today 📦', language: 'en', is_negative: false, tags: ['delivery'], has_emoji: true },
      { text: '有冇折扣呀？', language: 'yue', is_negative: false, tags: ['discount'], has_emoji: false },
    ]);
    const keywords = await wh.query(`select week, keyword, messages, share from marts.agg_keywords_weekly order by rank`);
    expect(keywords).toEqual([
      // one message each of the week's two customer messages; ties in code point order
      { week: '2026-W47', keyword: '折扣', messages: 1, share: 0.5 },
      { week: '2026-W47', keyword: '배송', messages: 1, share: 0.5 },
      { week: '2026-W47', keyword: '불만', messages: 1, share: 0.5 },
    ]);
  });

  it('does not analyse a message again when only its status arrives later', async () => {
    const [before] = await wh.query<{ load_id: number }>(`select load_id from staging.int_message_text where message_id = $1`, [reply]);
    s.status('85291990001', reply, 'read', '2026-11-16 10:05:00');
    await s.load();
    expect((await s.build()).status).toBe('success');
    const [after] = await wh.query<{ text_load: number; message_load: number; sentiment: number | null }>(
      `select t.load_id as text_load, m.load_id as message_load, f.sentiment
       from staging.int_message_text as t join staging.stg_messages as m using (message_id) join marts.fct_messages as f using (message_id)
       where t.message_id = $1`,
      [reply],
    );
    expect(after!.text_load).toBe(before!.load_id); // the text row was not rebuilt
    expect(after!.message_load).toBeGreaterThan(before!.load_id); // the message was, for its status
    expect(after!.sentiment).not.toBeNull();
  });
});
