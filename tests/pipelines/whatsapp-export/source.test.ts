import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSource } from '../../../pipelines/loader.ts';
import { whatsappExportSource } from '../../../pipelines/sources/whatsapp-export.source.ts';
import { closeAllWarehouses, type Warehouse } from '../../../warehouse/db.ts';
import { runModels } from '../../../warehouse/model-runner.ts';
import { count, tempWarehouse } from '../../helpers/temp-warehouse.ts';
import { exportFixture } from './parse-fixture.ts';
import { tempDir } from '../../helpers/temp-dirs.ts';

/** The fixtures in every layout the issue lists (64 messages, 12 system lines, 5 continuation lines). */
const GOOD = [
  'android-en-gb.txt', 'android-en-us.txt', 'android-am-pm-dots.txt', 'android-ymd-dash.txt', 'android-ymd-slash.txt', 'android-de.txt', 'android-no-comma.txt',
  'android-fi.txt', 'ios-en-gb.txt', 'ios-en-us.txt', 'ios-de.txt', 'ios-ymd.txt', 'ios-es-nbsp.txt', 'android-ko.txt', 'ios-ko.txt', 'android-zh.txt', 'ios-zh.txt',
  'WhatsApp Chat with TST Office Order.txt',
];

function copyInto(dir: string, names: readonly string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) fs.copyFileSync(exportFixture(n), path.join(dir, n));
  return dir;
}

const build = async (wh: Warehouse) => {
  const result = await runModels(wh);
  expect(result.results.filter((r) => r.status !== 'success')).toEqual([]);
};

describe('whatsapp-export source: every layout into staging', () => {
  let wh: Warehouse;
  let dir: string;
  beforeAll(async () => {
    ({ wh, dir } = await tempWarehouse());
    const run = await runSource(wh, whatsappExportSource, { path: copyInto(path.join(dir, 'in'), GOOD), trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 64, rowsQuarantined: 0 });
    expect(run.counters).toMatchObject({ files_read: 18, messages: 64, system_lines: 12, deleted_messages: 2, continuation_lines: 5 });
    await build(wh);
  });
  afterAll(closeAllWarehouses);

  it('puts the messages into stg_messages: the business side outbound from its agent, the others inbound', async () => {
    const rows = await wh.query<Record<string, unknown>>(
      `select direction, sender_kind, count(*) as n, count(agent_id) as with_agent from staging.stg_messages where source = 'whatsapp-export' group by all order by 1`,
    );
    expect(rows).toEqual([
      { direction: 'inbound', sender_kind: 'customer', n: 40, with_agent: 0 },
      { direction: 'outbound', sender_kind: 'agent', n: 24, with_agent: 24 },
    ]);
  });

  it('keeps the thread of each chat and customer, with exact instants in PARLEY_TZ', async () => {
    const rows = await wh.query<{ conversation_id: string; direction: string; at: string; text: string | null; message_type: string; is_media: boolean }>(
      `select m.conversation_id, m.direction, strftime(m.sent_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S') as at, m.text, m.message_type, m.is_media
       from staging.stg_messages m join staging.stg_export_messages e using (message_id)
       where e.chat_title = 'android-ko' order by m.sent_at`,
    );
    expect(rows.map((r) => [r.direction, r.at, r.text, r.message_type, r.is_media])).toEqual([
      ['inbound', '2024-01-04 16:05:00', '늦은 시간 죄송해요', 'text', false],
      ['outbound', '2024-01-05 01:30:00', '안녕하세요!', 'text', false],
      ['inbound', '2024-01-05 04:00:00', '점심시간이에요', 'text', false],
      ['inbound', '2024-01-05 07:12:00', '갤럭시 S24 울트라 재고 있나요?', 'text', false],
      ['outbound', '2024-01-05 07:15:00', null, 'media', true],
    ]);
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(1);
    expect(rows[0]!.conversation_id).toMatch(/^export:wx-[0-9a-f]{12}:export:[0-9a-f]{16}$/);
  });

  it('lists the business people as agents', async () => {
    const agents = await wh.query<{ agent_id: string; name: string; team: string | null }>(`select agent_id, name, team from staging.stg_agents order by name`);
    expect(agents.map((a) => [a.name, a.team])).toEqual([
      ['Kelly Ho', null],
      ['Shirley Tam', null],
      ['윤지혜', null],
    ]);
    for (const a of agents) expect(a.agent_id).toMatch(/^export:agent-[0-9a-f]{12}$/);
  });

  it('makes contacts and customer ids of export customers: E.164 when the export shows a number, a pseudo id otherwise', async () => {
    const contacts = await wh.query<{ phone_e164: string; profile_name: string; customer_id: string }>(
      `select c.phone_e164, c.profile_name, p.customer_id from staging.stg_contacts c join staging.int_customer_phones p using (phone_e164) order by c.profile_name`,
    );
    expect(contacts.map((c) => c.profile_name)).toEqual(['+852 5123 4567', 'Grace Yip', 'Peter Chan', '~ Mandy', '陳大文', '김민지']);
    expect(contacts[0]!.phone_e164).toBe('+85251234567');
    for (const c of contacts.slice(1)) expect(c.phone_e164).toMatch(/^export:[0-9a-f]{16}$/);
    expect(new Set(contacts.map((c) => c.customer_id)).size).toBe(6);
  });

  it('counts nothing twice when the same files are read again, or copied under another name', async () => {
    const again = await runSource(wh, whatsappExportSource, { path: path.join(dir, 'in') });
    expect(again).toMatchObject({ status: 'success', rowsRead: 0, rowsLoaded: 0, batches: 0 });
    const copy = copyInto(path.join(dir, 'copy'), ['android-ko.txt']);
    fs.renameSync(path.join(copy, 'android-ko.txt'), path.join(copy, 'korean chat backup.txt'));
    const copied = await runSource(wh, whatsappExportSource, { path: copy });
    expect(copied).toMatchObject({ status: 'success', rowsLoaded: 0, counters: { files_already_loaded: 1 } });
    await build(wh);
    expect(await count(wh, `select count(*) as n from staging.stg_messages where source = 'whatsapp-export'`)).toBe(64);
  });
});

describe('whatsapp-export source: re-exports of a chat', () => {
  let wh: Warehouse;
  let exportsDir: string;
  const file = () => path.join(exportsDir, 'WhatsApp Chat with Kenny Lo.txt');
  const messages = async () =>
    (await wh.query<{ text: string }>(`select text from staging.stg_export_messages where chat_title = 'Kenny Lo' order by sent_at, line_no`)).map((r) => r.text);
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    exportsDir = path.join(wh.config.landingDir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true });
  });
  afterAll(closeAllWarehouses);

  const v1 = ['03/02/2024, 10:00 - Kenny Lo: Hi', '03/02/2024, 10:01 - Kenny Lo: ok', '03/02/2024, 10:01 - Kenny Lo: ok', '03/02/2024, 10:05 - Shirley Tam: Hello Kenny'];
  const v2 = [...v1, '04/02/2024, 09:00 - Kenny Lo: Any discount?', '04/02/2024, 09:02 - Shirley Tam: 10% off this week'];

  it('keeps two identical messages in one minute as two', async () => {
    fs.writeFileSync(file(), `${v1.join('\n')}\n`);
    const run = await runSource(wh, whatsappExportSource, {});
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 4 });
    await build(wh);
    expect(await messages()).toEqual(['Hi', 'ok', 'ok', 'Hello Kenny']);
  });

  it('adds only the new messages of a later export that repeats the old ones', async () => {
    fs.writeFileSync(file(), `${v2.join('\n')}\n`);
    const run = await runSource(wh, whatsappExportSource, {});
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 6 });
    await build(wh);
    expect(await messages()).toEqual(['Hi', 'ok', 'ok', 'Hello Kenny', 'Any discount?', '10% off this week']);
    expect(await count(wh, 'select count(*) as n from raw.whatsapp_export_messages')).toBe(10);
  });

  it('adds nothing for an iOS export of the same chat with the same messages, and adds its one new message', async () => {
    const ios = path.join(exportsDir, 'WhatsApp Chat - Kenny Lo', '_chat.txt');
    fs.mkdirSync(path.dirname(ios), { recursive: true });
    const lines = v2.map((l) => l.replace(/^(\S+), (\S+) - /, '[$1, $2:30] '));
    fs.writeFileSync(ios, `${[...lines, '[05/02/2024, 18:00:00] Kenny Lo: Ordered, thanks'].join('\r\n')}\r\n`);
    const run = await runSource(wh, whatsappExportSource, {});
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 7, counters: { files_read: 1, files_unchanged: 1 } });
    await build(wh);
    expect(await messages()).toEqual(['Hi', 'ok', 'ok', 'Hello Kenny', 'Any discount?', '10% off this week', 'Ordered, thanks']);
  });
});

describe('whatsapp-export source: bad files and bad lines', () => {
  let wh: Warehouse;
  let dir: string;
  beforeAll(async () => {
    ({ wh, dir } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('quarantines each bad file with a clear reason and loads the rest of the batch', async () => {
    const bad = ['binary.txt', 'page.txt', 'empty.txt', 'not-an-export.txt', 'unknown-layout.txt', 'utf16-bom.txt', 'utf16be-bom.txt', 'bad-lines.txt'];
    const run = await runSource(wh, whatsappExportSource, { path: copyInto(path.join(dir, 'bad'), bad), trigger: 'test' });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 6, rowsQuarantined: 8, counters: { utf16_files: 2, files_quarantined: 5 } });
    const q = await wh.query<{ file: string; line_no: number | null; reason: string; raw_text: string }>(
      `select regexp_extract(location, '[^/]+$') as file, line_no, reason, raw_text from ops.quarantine where source = 'whatsapp-export' order by file, line_no`,
    );
    expect(q.map((r) => [r.file, r.line_no])).toEqual([
      ['bad-lines.txt', 1],
      ['bad-lines.txt', 4],
      ['bad-lines.txt', 6],
      ['binary.txt', null],
      ['empty.txt', null],
      ['not-an-export.txt', null],
      ['page.txt', null],
      ['unknown-layout.txt', null],
    ]);
    const reasons = [
      /^text before the first message header$/,
      /^header with an impossible date in the file's date order \(dmy\)$/,
      /^header with an impossible time$/,
      /^binary file \(\d+ of the first \d+ characters are not text\): not a UTF-8 or UTF-16 WhatsApp chat export$/,
      /^empty file: not a WhatsApp chat export$/,
      /^not a WhatsApp chat export, or a date layout Parley does not know: .*\(first line: "Shopping list"\)$/,
      /^HTML or XML file, not a WhatsApp chat export: export the chat from the app/,
      /^not a WhatsApp chat export, or a date layout Parley does not know: .*\(first line: "2024年1月5日 15:12 - 陳大文: 你好"\)$/,
    ];
    q.forEach((r, i) => expect(r.reason).toMatch(reasons[i]!));
    // the impossible date keeps the line that continues it
    expect(q[1]!.raw_text).toBe('31/02/2024, 10:00 - Grace Yip: a date that does not exist\nand its second line');
    await build(wh);
    const texts = await wh.query<{ text: string }>(`select text from staging.stg_export_messages order by text`);
    expect(texts.map((t) => t.text)).toEqual(['Hello', 'Hello 你好 👋', 'Hello 你好 👋', 'Hi', 'Hi from Windows', 'Hi from Windows']);
  });

  it('quarantines a chat where none of several authors is a business name', async () => {
    const f = path.join(dir, 'strangers', 'WhatsApp Chat with Book Club.txt');
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, '01/02/2024, 10:00 - Ann: Hi\n01/02/2024, 10:01 - Bob: Hello\n');
    const run = await runSource(wh, whatsappExportSource, { path: f });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 0, rowsQuarantined: 1 });
    const [q] = await wh.query<{ reason: string }>(`select reason from ops.quarantine where location = $1`, [f]);
    expect(q!.reason).toBe('none of the authors ("Ann", "Bob") is a business name: pass --business with the name this export shows for your side, or add it to config/business.json');
  });
});

describe('whatsapp-export source: options', () => {
  let wh: Warehouse;
  let dir: string;
  beforeAll(async () => {
    ({ wh, dir } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  const local = async () => (await wh.query<{ t: string }>(`select strftime(sent_local, '%Y-%m-%d %H:%M') as t from staging.stg_export_messages order by sent_local`)).map((r) => r.t);

  it('guesses an order the dates cannot tell, and --date-order corrects the same messages instead of adding them', async () => {
    const f = copyInto(path.join(dir, 'amb'), ['ambiguous.txt']);
    const guessed = await runSource(wh, whatsappExportSource, { path: f });
    expect(guessed.counters).toMatchObject({ date_order_guessed: 1 });
    await build(wh);
    expect(await local()).toEqual(['2024-06-05 14:00', '2024-06-05 14:01']);
    const forced = await runSource(wh, whatsappExportSource, { path: f, options: { 'date-order': 'mdy' } });
    expect(forced).toMatchObject({ status: 'success', rowsLoaded: 2 });
    expect(forced.counters.date_order_guessed).toBeUndefined();
    await build(wh);
    expect(await local()).toEqual(['2024-05-06 14:00', '2024-05-06 14:01']);
  });

  it('keeps an option given for a chat when a later run reads a new export of it without the option', async () => {
    const f = path.join(dir, 'amb', 'ambiguous.txt');
    fs.appendFileSync(f, '05/06/24, 15:00 - Grace Yip: Thanks\n');
    const later = await runSource(wh, whatsappExportSource, { path: path.join(dir, 'amb') });
    expect(later).toMatchObject({ status: 'success', rowsLoaded: 3 });
    await build(wh);
    expect(await local()).toEqual(['2024-05-06 14:00', '2024-05-06 14:01', '2024-05-06 15:00']);
  });

  it('reads a file again when --business changes who the business is', async () => {
    const f = path.join(dir, 'amb', 'ambiguous.txt');
    const run = await runSource(wh, whatsappExportSource, { path: f, options: { business: 'Grace Yip' } });
    expect(run).toMatchObject({ status: 'success', rowsLoaded: 3 });
    await build(wh);
    const sides = await wh.query<{ author: string; is_business: boolean }>(`select distinct author, is_business from staging.stg_export_messages order by author`);
    expect(sides).toEqual([
      { author: 'Grace Yip', is_business: true },
      { author: 'Shirley Tam', is_business: false },
    ]);
  });

  it('refuses bad option values with a usage error', async () => {
    const f = path.join(dir, 'amb', 'ambiguous.txt');
    const order = await runSource(wh, whatsappExportSource, { path: f, options: { 'date-order': 'ydm' } });
    expect(order).toMatchObject({ status: 'failed', error: '--date-order "ydm" must be dmy, mdy or ymd (day/month/year, month/day/year, year/month/day).' });
    const tz = await runSource(wh, whatsappExportSource, { path: f, options: { tz: 'Hong Kong' } });
    expect(tz.error).toBe('--tz "Hong Kong" is not an IANA timezone; use a name such as Asia/Hong_Kong or Asia/Seoul.');
  });
});

describe('whatsapp-export source: without a business name', () => {
  let wh: Warehouse;
  let dir: string;
  beforeAll(async () => {
    const configDir = tempDir('parley-config-');
    ({ wh, dir } = await tempWarehouse({ PARLEY_CONFIG_DIR: configDir }));
  });
  afterAll(closeAllWarehouses);

  it('fails the run with what to do when neither --business nor config/business.json names the business', async () => {
    const f = copyInto(path.join(dir, 'in'), ['android-en-gb.txt']);
    const run = await runSource(wh, whatsappExportSource, { path: f });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^whatsapp-export needs the name your side writes under in the exported chats: pass --business "NAME" or list it in .*business\.json as \{"business_names": \["NAME"\]\}\.$/);
    const named = await runSource(wh, whatsappExportSource, { path: f, options: { business: 'Shirley Tam' } });
    expect(named).toMatchObject({ status: 'success', rowsLoaded: 4 });
  });
});
