import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { render } from '../../../warehouse/model-runner.ts';
import { buildOnly, createAllTables, replaceRows } from '../../helpers/mart-rows.ts';
import { serviceWarehouse } from '../../helpers/service-scenario.ts';
import { FIXTURES } from '../../helpers/temp-warehouse.ts';

/** A message of conversation `c` at minute `m`. */
function message(c: string, m: number, direction: 'inbound' | 'outbound', language: string | null, sentiment: number | null, tags: string[] | null): Record<string, unknown> {
  return {
    message_id: `${c}-${m}`,
    conversation_id: `1098765:+${c}`,
    customer_id: c,
    direction,
    sender_kind: direction === 'inbound' ? 'customer' : 'agent',
    sent_at: `2026-11-20 10:${String(m).padStart(2, '0')}:00+08`,
    local_date: '2026-11-20',
    language,
    sentiment,
    tags,
  };
}

// agg_conversation_text gathers each conversation's distinct tag lists and languages
// (list(distinct ...)) instead of one entry per message; the previous query, kept in
// tests/fixtures/previous-sql/, must give the same rows.
describe('agg_conversation_text', () => {
  let wh: Warehouse;
  let rows: Record<string, unknown>[];
  let previous: Record<string, unknown>[];

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    await createAllTables(wh);
    await replaceRows(wh, 'marts.fct_messages', [
      message('c1', 1, 'inbound', 'en', 0.2, ['price', 'stock']),
      message('c1', 2, 'inbound', 'en', 0.4, ['stock', 'price']),
      message('c1', 3, 'outbound', 'en', 0.9, ['delivery']),
      message('c1', 4, 'inbound', 'zh-yue', 0.6, ['price']),
      message('c1', 5, 'inbound', 'und', null, []),
      message('c1', 6, 'inbound', 'en', null, null),
      message('c2', 1, 'inbound', null, null, null),
      message('c2', 2, 'outbound', 'ko', 0.8, []),
      message('c3', 1, 'outbound', 'en', 0.5, ['promo']),
      message('c3', 2, 'outbound', 'en', 0.5, ['promo']),
    ]);
    await buildOnly(wh, ['marts.agg_conversation_text']);
    rows = await wh.query('select * from marts.agg_conversation_text order by conversation_id');
    const sql = render({ id: 'previous', sql: fs.readFileSync(path.join(FIXTURES, 'previous-sql', 'agg_conversation_text.lists.sql'), 'utf8') }, {});
    previous = await wh.query(`select * from (${sql}) order by conversation_id`);
  });
  afterAll(closeAllWarehouses);

  it('keeps each tag and inbound language once, sorted, and [] when there are none', () => {
    expect(rows.map((r) => ({ conversation_id: r.conversation_id, tags: r.tags, languages: r.languages, main_language: r.main_language }))).toEqual([
      { conversation_id: '1098765:+c1', tags: ['delivery', 'price', 'stock'], languages: ['en', 'zh-yue'], main_language: 'en' },
      { conversation_id: '1098765:+c2', tags: [], languages: [], main_language: null },
      { conversation_id: '1098765:+c3', tags: ['promo'], languages: [], main_language: null },
    ]);
  });

  // avg_sentiment now sums as decimals (exact, whatever the order a merge reads rows in):
  // the previous double average may differ in its last bits (0.4000000000000001 for 0.4).
  it('returns the rows of the previous query', () => {
    const rounded = (r: Record<string, unknown>) => ({ ...r, avg_sentiment: r.avg_sentiment === null ? null : Number((r.avg_sentiment as number).toFixed(12)) });
    expect(rows.map(rounded)).toEqual(previous.map(rounded));
  });

  it('averages the sentiment exactly', () => {
    expect(rows[0]!.avg_sentiment).toBe(0.4);
  });
});
