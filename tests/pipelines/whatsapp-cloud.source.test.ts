import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../pipelines/loader.ts';
import { PhoneNormaliser } from '../../pipelines/phones.ts';
import { whatsappCloudSource, whatsappPayloadLine } from '../../pipelines/sources/whatsapp-cloud.source.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { runModels } from '../../warehouse/model-runner.ts';
import { count, FIXTURES, tempWarehouse } from '../helpers/temp-warehouse.ts';

const fixture = (name: string) => path.join(FIXTURES, 'whatsapp-cloud', name);

describe('whatsapp-cloud source: every message type and status', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    const run = await runSource(wh, whatsappCloudSource, { path: fixture('all-types.ndjson'), trigger: 'test' });
    expect(run.status).toBe('success');
    expect(run.rowsQuarantined).toBe(0);
    await runModels(wh);
  });
  afterAll(closeAllWarehouses);

  it.each([
    ['wamid.TYPE1', 'text', 'iPhone 15 Pro Max 幾錢呀？', false],
    ['wamid.TYPE2', 'image', '呢部有冇貨？', true],
    ['wamid.TYPE3', 'document', 'quote.pdf', true],
    ['wamid.TYPE4', 'audio', null, true],
    ['wamid.TYPE5', 'video', 'unboxing', true],
    ['wamid.TYPE6', 'sticker', null, true],
    ['wamid.TYPE7', 'location', 'IFC Mall', false],
    ['wamid.TYPE8', 'interactive', 'Yes, order', false],
    ['wamid.TYPE9', 'interactive', 'iPhone 15 Pro Max', false],
    ['wamid.TYPE10', 'button', 'Interested', false],
    ['wamid.TYPE11', 'reaction', '👍', false],
  ])('parses %s as a %s message', async (id, type, text, isMedia) => {
    const [row] = await wh.query<Record<string, unknown>>('select * from staging.stg_whatsapp_messages where message_id = $1', [id]);
    expect(row).toMatchObject({ message_type: type, text, is_media: isMedia, phone_number_id: '1098765', customer_phone_e164: '+85291234567', profile_name: 'Chan Tai Man' });
  });

  it('keeps the type-specific details: media ids, replies, reactions, locations', async () => {
    const rows = await wh.query<Record<string, unknown>>(
      `select message_id, media_id, media_mime_type, interactive_type, reply_payload, context_message_id, reaction_to_message_id, latitude, longitude, sent_at
       from staging.stg_whatsapp_messages order by message_id`,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.message_id, r]));
    expect(byId['wamid.TYPE2']).toMatchObject({ media_id: '1001', media_mime_type: 'image/jpeg' });
    expect(byId['wamid.TYPE8']).toMatchObject({ interactive_type: 'button_reply', reply_payload: 'yes-order', context_message_id: 'wamid.OUT1' });
    expect(byId['wamid.TYPE9']).toMatchObject({ interactive_type: 'list_reply', reply_payload: 'sku-APL-IP15PM' });
    expect(byId['wamid.TYPE10']).toMatchObject({ reply_payload: 'PROMO_INTERESTED', context_message_id: 'wamid.OUT2' });
    expect(byId['wamid.TYPE11']).toMatchObject({ reaction_to_message_id: 'wamid.OUT1' });
    expect(byId['wamid.TYPE7']).toMatchObject({ latitude: 22.2855, longitude: 114.1577 });
    // timestamp "1732700060" is 2024-11-27T09:34:20Z
    expect((byId['wamid.TYPE1']!.sent_at as Date).toISOString()).toBe('2024-11-27T09:34:20.000Z');
  });

  it('normalises a Korean sender to E.164 with its own profile name', async () => {
    const [row] = await wh.query<Record<string, unknown>>(`select customer_phone_e164, profile_name, text from staging.stg_whatsapp_messages where message_id = 'wamid.TYPE12'`);
    expect(row).toEqual({ customer_phone_e164: '+821012345678', profile_name: '김민준', text: '배송은 언제 되나요?' });
  });

  it('parses sent, delivered, read and failed statuses with conversation, pricing and errors', async () => {
    const rows = await wh.query<Record<string, unknown>>(
      `select message_id, status, epoch(status_at)::bigint as at_s, meta_conversation_id, conversation_origin, is_billable, pricing_category, pricing_type, error_code, error_title
       from staging.stg_whatsapp_statuses order by message_id, at_s`,
    );
    expect(rows).toEqual([
      { message_id: 'wamid.OUT1', status: 'sent', at_s: 1732700100, meta_conversation_id: 'CONV1', conversation_origin: 'service', is_billable: false, pricing_category: 'service', pricing_type: 'free_customer_service', error_code: null, error_title: null },
      { message_id: 'wamid.OUT1', status: 'delivered', at_s: 1732700102, meta_conversation_id: 'CONV1', conversation_origin: 'service', is_billable: false, pricing_category: 'service', pricing_type: 'free_customer_service', error_code: null, error_title: null },
      { message_id: 'wamid.OUT1', status: 'read', at_s: 1732700200, meta_conversation_id: null, conversation_origin: null, is_billable: null, pricing_category: null, pricing_type: null, error_code: null, error_title: null },
      { message_id: 'wamid.OUT2', status: 'sent', at_s: 1732700300, meta_conversation_id: 'CONV2', conversation_origin: 'marketing', is_billable: true, pricing_category: 'marketing', pricing_type: 'regular', error_code: null, error_title: null },
      { message_id: 'wamid.OUT3', status: 'failed', at_s: 1732700310, meta_conversation_id: null, conversation_origin: null, is_billable: null, pricing_category: null, pricing_type: null, error_code: 131047, error_title: 'Re-engagement message' },
    ]);
  });
});

describe('whatsapp-cloud source: loading twice, duplicates and out-of-order deliveries', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  const counts = async () => ({
    raw: await count(wh, 'select count(*) as n from raw.whatsapp_payloads'),
    messages: await count(wh, 'select count(*) as n from staging.stg_whatsapp_messages'),
    statuses: await count(wh, 'select count(*) as n from staging.stg_whatsapp_statuses'),
  });

  it('loads the same file twice with identical row counts', async () => {
    const first = await runSource(wh, whatsappCloudSource, { path: fixture('all-types.ndjson') });
    await runModels(wh);
    const after1 = await counts();
    const second = await runSource(wh, whatsappCloudSource, { path: fixture('all-types.ndjson') });
    await runModels(wh);
    expect(first.rowsLoaded).toBe(16);
    expect(second.rowsRead).toBe(0);
    expect(await counts()).toEqual(after1);
    expect(after1).toEqual({ raw: 16, messages: 12, statuses: 5 });
  });

  it('keeps one row per wamid and per (wamid, status) when Meta delivers twice and out of order', async () => {
    await runSource(wh, whatsappCloudSource, { path: fixture('duplicates-out-of-order.ndjson') });
    await runModels(wh);
    const statuses = await wh.query<{ status: string; at_s: number }>(`select status, epoch(status_at)::bigint as at_s from staging.stg_whatsapp_statuses where message_id = 'wamid.OUT9' order by at_s`);
    expect(statuses).toEqual([
      { status: 'sent', at_s: 1732700390 },
      { status: 'delivered', at_s: 1732700400 },
      { status: 'read', at_s: 1732700500 },
    ]);
    // wamid.TYPE1 arrived in all-types.ndjson and twice more here: still one message
    expect(await count(wh, `select count(*) as n from staging.stg_whatsapp_messages where message_id = 'wamid.TYPE1'`)).toBe(1);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(22);
  });

  it('loads the same content from a second file without adding staging rows', async () => {
    const before = await counts();
    const copy = path.join(wh.config.landingDir, 'copy.ndjson');
    fs.copyFileSync(fixture('duplicates-out-of-order.ndjson'), copy);
    await runSource(wh, whatsappCloudSource, { path: copy });
    await runModels(wh);
    const after = await counts();
    expect(after.raw).toBe(before.raw + 6);
    expect({ messages: after.messages, statuses: after.statuses }).toEqual({ messages: before.messages, statuses: before.statuses });
  });
});

describe('whatsapp-cloud source: malformed lines', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('loads the good lines and quarantines each bad one with its line number and reason', async () => {
    const run = await runSource(wh, whatsappCloudSource, { path: fixture('malformed.ndjson'), trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsRead: 7, rowsLoaded: 2, rowsQuarantined: 4 });
    const quarantined = await wh.query<{ line_no: number; reason: string; source: string; location: string }>('select line_no, reason, source, location from ops.quarantine order by line_no');
    expect(quarantined.map((q) => q.line_no)).toEqual([2, 3, 4, 6]);
    expect(quarantined[0]!.reason).toMatch(/^invalid JSON/);
    expect(quarantined[1]!.reason).toMatch(/missing entry/);
    expect(quarantined[2]!.reason).toMatch(/"12345" is not a valid phone number/);
    expect(quarantined[3]!.reason).toMatch(/type "hologram" is not a known message type/);
    expect(new Set(quarantined.map((q) => q.source))).toEqual(new Set(['whatsapp-cloud']));
    expect(quarantined[0]!.location).toBe(fixture('malformed.ndjson'));
    const [logged] = await wh.query<Record<string, unknown>>('select source, trigger, status, rows_read, rows_loaded, rows_quarantined, error from ops.pipeline_runs');
    expect(logged).toEqual({ source: 'whatsapp-cloud', trigger: 'test', status: 'success', rows_read: 7, rows_loaded: 2, rows_quarantined: 4, error: null });
    await runModels(wh);
    const texts = await wh.query<{ text: string }>('select text from staging.stg_whatsapp_messages order by text');
    expect(texts.map((t) => t.text)).toEqual(['good one', 'good two']);
  });
});

describe('whatsapp-cloud source: payloads of the wrong shape', () => {
  it('quarantines each with the first thing wrong, and keeps other webhook fields', async () => {
    const { wh } = await tempWarehouse();
    const run = await runSource(wh, whatsappCloudSource, { path: fixture('odd-shapes.ndjson') });
    expect(run).toMatchObject({ status: 'success', rowsRead: 12, rowsLoaded: 2, rowsQuarantined: 10 });
    const reasons = await wh.query<{ line_no: number; reason: string }>('select line_no, reason from ops.quarantine order by line_no');
    expect(reasons).toEqual([
      { line_no: 1, reason: 'not a JSON object' },
      { line_no: 2, reason: 'not a JSON object' },
      { line_no: 3, reason: 'missing entry[]: not a WhatsApp webhook payload' },
      { line_no: 4, reason: 'an entry has no changes[]' },
      { line_no: 5, reason: 'a change has no value object' },
      { line_no: 6, reason: 'metadata.phone_number_id is missing' },
      { line_no: 7, reason: 'a message has no id (wamid)' },
      { line_no: 8, reason: 'a timestamp is not a Unix time in seconds' },
      { line_no: 9, reason: 'status "exploded" is not a known status' },
      { line_no: 11, reason: 'phone null is not a valid phone number' },
    ]);
    await closeAllWarehouses();
  });
});

describe('whatsapp-cloud source: the text of each line as it came', () => {
  it('keeps raw payloads and quarantined lines byte for byte (spacing, escapes, a CR, a BOM and non-ASCII text)', async () => {
    const { wh, dir } = await tempWarehouse();
    const good = fs.readFileSync(fixture('malformed.ndjson'), 'utf8').split('\n')[0]!;
    // the same payload spaced out and with escapes: still valid JSON, stored as written
    const spaced = good.replace('"good one"', ' "g\\u00f6od \\"one\\" 好" ').replace('wamid.TYPE20', 'wamid.SPACED').replaceAll('": ', '" :  ');
    const wrongShape = '{ "object" : "whatsapp_business_account" ,  "entry" : [ ] }';
    const notJson = '{"object": "whatsapp_business_account", "entry": [ 好';
    const lines = [`\ufeff${good}`, `${spaced}\r`, wrongShape, notJson];
    const file = path.join(dir, 'exact.ndjson');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const run = await runSource(wh, whatsappCloudSource, { path: file, trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsRead: 4, rowsLoaded: 2, rowsQuarantined: 2 });
    const raw = await wh.query<{ line_no: number; payload: string }>('select line_no, payload::varchar as payload from raw.whatsapp_payloads order by line_no');
    expect(raw).toEqual([{ line_no: 1, payload: good }, { line_no: 2, payload: spaced }]);
    const quarantined = await wh.query<{ line_no: number; reason: string; raw_text: string }>('select line_no, reason, raw_text from ops.quarantine order by line_no');
    expect(quarantined).toEqual([
      { line_no: 3, reason: 'missing entry[]: not a WhatsApp webhook payload', raw_text: wrongShape },
      { line_no: 4, reason: 'invalid JSON', raw_text: notJson },
    ]);
    await runModels(wh, { select: ['staging.stg_whatsapp_messages'] });
    const texts = await wh.query<{ message_id: string; text: string }>('select message_id, text from staging.stg_whatsapp_messages order by message_id');
    expect(texts).toEqual([{ message_id: 'wamid.SPACED', text: 'göod "one" 好' }, { message_id: 'wamid.TYPE20', text: 'good one' }]);
    await closeAllWarehouses();
  });
});

describe('whatsapp-cloud source: files that grow', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('loads only appended lines, and a partial last line once it is complete', async () => {
    const lines = fs.readFileSync(fixture('all-types.ndjson'), 'utf8').trimEnd().split('\n');
    const dir = path.join(wh.config.landingDir, 'whatsapp');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'today.ndjson');
    fs.writeFileSync(file, `${lines.slice(0, 5).join('\n')}\n${lines[5]!.slice(0, 40)}`);
    const first = await runSource(wh, whatsappCloudSource);
    expect(first).toMatchObject({ status: 'success', rowsRead: 5, rowsLoaded: 5, rowsQuarantined: 0 });
    fs.writeFileSync(file, `${lines.slice(0, 9).join('\n')}\n`);
    const second = await runSource(wh, whatsappCloudSource);
    expect(second).toMatchObject({ rowsRead: 4, rowsLoaded: 4 });
    const third = await runSource(wh, whatsappCloudSource);
    expect(third.rowsRead).toBe(0);
    const numbers = await wh.query<{ line_no: number }>('select line_no from raw.whatsapp_payloads order by line_no');
    expect(numbers.map((n) => n.line_no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('whatsapp-cloud validation: bulk (SQL) and webhook (JS) paths agree', () => {
  it.each(['all-types.ndjson', 'malformed.ndjson', 'duplicates-out-of-order.ndjson', 'odd-shapes.ndjson'])('on every line of %s', async (name) => {
    const { wh } = await tempWarehouse();
    await runSource(wh, whatsappCloudSource, { path: fixture(name) });
    const quarantined = new Set((await wh.query<{ line_no: number }>('select line_no from ops.quarantine')).map((r) => r.line_no));
    const phones = new PhoneNormaliser('HK');
    const lines = fs.readFileSync(fixture(name), 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (text.trim() === '' || i === lines.length - 1) return;
      const outcome = whatsappPayloadLine(text, name, i + 1, new Date(), phones);
      expect(outcome !== null && 'reason' in outcome, `line ${i + 1}`).toBe(quarantined.has(i + 1));
    });
    await closeAllWarehouses();
  });
});

describe('whatsapp-cloud source: bad lines inside big files', () => {
  const read = (name: string) => fs.readFileSync(fixture(name), 'utf8').split('\n');
  const good = read('all-types.ndjson').filter((l) => l.trim() !== '');
  const malformed = read('malformed.ndjson');
  const odd = read('odd-shapes.ndjson');
  /** Line number -> the line put there instead of a good one, and the reason it must be quarantined with. */
  const injectedA = new Map<number, [string, string | null]>([
    [1000, [malformed[1]!, 'invalid JSON']],
    [1500, ['    ', null]], // blank: only spaces
    [1501, ['\t', 'invalid JSON']],
    [1700, [`  ${good[0]}`, null]], // an object after leading spaces still loads
    [1800, [' [1, 2]', 'not a JSON object']],
    [2000, [`${good[1]}\r`, null]], // CRLF: loads without the CR
    [2200, [odd[8]!, 'status "exploded" is not a known status']],
    [2500, [malformed[3]!, 'phone "12345" is not a valid phone number']],
    [2999, [odd[10]!, 'phone null is not a valid phone number']],
  ]);
  const injectedB = new Map<number, [string, string | null]>([[10, [malformed[5]!, 'message type "hologram" is not a known message type']]]);
  const build = (lines: number, injected: Map<number, [string, string | null]>) =>
    Array.from({ length: lines }, (_, i) => injected.get(i + 1)?.[0] ?? good[i % good.length]!);

  it('quarantines each with the same reason, loads every other line once, and reads nothing new the second time', async () => {
    const { wh } = await tempWarehouse();
    const dir = path.join(wh.config.landingDir, 'whatsapp');
    fs.mkdirSync(dir, { recursive: true });
    const a = build(3000, injectedA);
    a[0] = `\uFEFF${a[0]}`; // a byte-order mark before the first line
    // The last line is still being written: not read yet.
    fs.writeFileSync(path.join(dir, 'a.ndjson'), `${a.join('\n')}\n${good[2]!.slice(0, 60)}`);
    fs.writeFileSync(path.join(dir, 'b.ndjson'), `${build(2000, injectedB).join('\n')}\n`);

    const run = await runSource(wh, whatsappCloudSource);
    const expected = [
      ...[...injectedA].filter(([, [, r]]) => r !== null).map(([lineNo, [, reason]]) => ({ location: path.join(dir, 'a.ndjson'), line_no: lineNo, reason })),
      ...[...injectedB].map(([lineNo, [, reason]]) => ({ location: path.join(dir, 'b.ndjson'), line_no: lineNo, reason })),
    ];
    expect(run).toMatchObject({ status: 'success', rowsRead: 5000, rowsQuarantined: expected.length, rowsLoaded: 5000 - expected.length - 1 });
    expect(run.counters.blank_lines).toBe(1);
    expect(await wh.query('select location, line_no, reason from ops.quarantine order by location, line_no')).toEqual(expected);

    const loaded = await wh.query<{ source_file: string; n: number; first: number; last: number }>(
      'select source_file, count(*)::int as n, min(line_no)::int as first, max(line_no)::int as last from raw.whatsapp_payloads group by source_file order by source_file',
    );
    expect(loaded).toEqual([
      { source_file: path.join(dir, 'a.ndjson'), n: 3000 - 6 - 1, first: 1, last: 3000 },
      { source_file: path.join(dir, 'b.ndjson'), n: 1999, first: 1, last: 2000 },
    ]);
    const payload = async (lineNo: number) =>
      (await wh.query<{ p: string }>(`select payload::varchar as p from raw.whatsapp_payloads where source_file like '%a.ndjson' and line_no = $1`, [lineNo]))[0]!.p;
    expect(await payload(1)).toBe(good[0]);
    expect(await payload(2000)).toBe(good[1]);
    expect(await payload(1700)).toBe(`  ${good[0]}`);

    // Each line is judged as the webhook (JS) path judges it.
    const phones = new PhoneNormaliser('HK');
    const quarantined = new Set(expected.map((q) => `${q.location}:${q.line_no}`));
    for (const [name, lines] of [['a.ndjson', a], ['b.ndjson', build(2000, injectedB)]] as const) {
      lines.forEach((text, i) => {
        const clean = text.replace(/^\uFEFF/, '').replace(/\r$/, '');
        if (clean.trim() === '') return;
        const outcome = whatsappPayloadLine(clean, name, i + 1, new Date(), phones);
        expect(outcome !== null && 'reason' in outcome, `${name} line ${i + 1}`).toBe(quarantined.has(`${path.join(dir, name)}:${i + 1}`));
      });
    }

    const again = await runSource(wh, whatsappCloudSource);
    expect(again).toMatchObject({ status: 'success', rowsRead: 0, rowsLoaded: 0 });
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_payloads')).toBe(5000 - expected.length - 1);
    await closeAllWarehouses();
  });
});

describe('whatsapp-cloud source: row order in raw', () => {
  it('stores a batch in file name order (bytes, as DuckDB sorts) and line order, so a repeat loses to the earlier line', async () => {
    const { wh } = await tempWarehouse();
    const dir = path.join(wh.config.landingDir, 'whatsapp');
    fs.mkdirSync(dir, { recursive: true });
    const good = fs.readFileSync(fixture('all-types.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const text = good[0]!;
    expect(text).toContain('"wamid.TYPE1"');
    // The landing folder lists these as _x, a, b2, B, Z (locale order); bytes sort them B, Z, _x, a, b2.
    const names = ['a.ndjson', 'b2.ndjson', 'B.ndjson', 'Z.ndjson', '_x.ndjson'];
    for (const name of names) {
      // Every file repeats wamid.TYPE1 with its own text at a line of its own.
      const at = 1 + names.indexOf(name) * 7;
      const lines = Array.from({ length: 6000 }, (_, i) => (i + 1 === at ? text.replace('iPhone 15 Pro Max 幾錢呀？', `from ${name}`) : good[(i % (good.length - 1)) + 1]!));
      fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
    }
    const run = await runSource(wh, whatsappCloudSource);
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 30_000, batches: 1 });
    const byRowid = await wh.query<{ source_file: string; line_no: number }>('select source_file, line_no::int as line_no from raw.whatsapp_payloads order by rowid');
    const bytes = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(bytes).toEqual(['B.ndjson', 'Z.ndjson', '_x.ndjson', 'a.ndjson', 'b2.ndjson']);
    expect(byRowid).toEqual(bytes.flatMap((name) => Array.from({ length: 6000 }, (_, i) => ({ source_file: path.join(dir, name), line_no: i + 1 }))));
    await runModels(wh, { select: ['staging.stg_whatsapp_messages'] });
    const [row] = await wh.query<{ text: string }>(`select text from staging.stg_whatsapp_messages where message_id = 'wamid.TYPE1'`);
    expect(row).toEqual({ text: 'from B.ndjson' });
    await closeAllWarehouses();
  });
});
