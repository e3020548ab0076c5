import { describe, expect, it } from 'vitest';
import { FIXTURE_BUSINESS, parseFixture } from './parse-fixture.ts';

type Expected = [local: string, author: string, type: string, text: string];

/** Every layout the issue lists, with the messages each fixture must give (times as written, 24-hour). */
const FORMATS: [file: string, layout: string, order: string, messages: Expected[]][] = [
  ['android-en-gb.txt', 'Android DD/MM/YYYY, HH:MM (CRLF)', 'dmy', [
    ['2023-12-25 14:05:00', 'Grace Yip', 'text', 'Hi, is the iPhone 15 Pro Max in stock?'],
    ['2023-12-25 14:07:00', 'Shirley Tam', 'text', 'Yes! HK$9,399\nDelivery tomorrow.\n\n25/12/2023 is a holiday, so maybe 27/12.'],
    ['2023-12-26 09:00:00', 'Grace Yip', 'media', '<Media omitted>'],
    ['2024-01-13 18:30:00', 'Shirley Tam', 'image', 'IMG-20240113-WA0004.jpg (file attached)\nYour receipt'],
  ]],
  ['android-en-us.txt', 'Android M/D/YY, H:MM PM (U+202F and plain space)', 'mdy', [
    ['2024-01-05 11:58:00', 'Grace Yip', 'text', 'before noon'],
    ['2024-01-05 12:00:00', 'Grace Yip', 'text', 'noon'],
    ['2024-01-05 15:12:00', 'Grace Yip', 'text', 'Hello'],
    ['2024-01-06 00:05:00', 'Shirley Tam', 'text', 'just after midnight'],
    ['2024-01-13 21:41:00', 'Shirley Tam', 'media', '<Media omitted>'],
  ]],
  ['android-am-pm-dots.txt', 'Android D/M/YYYY, h:mm a.m./p.m.', 'dmy', [
    ['2024-01-05 09:15:00', 'Grace Yip', 'text', 'morning'],
    ['2024-01-05 15:12:00', 'Shirley Tam', 'text', 'afternoon'],
    ['2024-01-18 12:30:00', 'Grace Yip', 'text', 'lunch'],
  ]],
  ['android-ymd-dash.txt', 'Android YYYY-MM-DD, h:mm p.m.', 'ymd', [
    ['2024-01-05 00:10:00', 'Grace Yip', 'text', 'still up?'],
    ['2024-01-05 09:05:00', 'Shirley Tam', 'text', 'Good morning'],
    ['2024-01-05 15:12:00', 'Grace Yip', 'text', 'Thanks'],
  ]],
  ['android-ymd-slash.txt', 'Android YYYY/MM/DD, h:mm pm', 'ymd', [
    ['2024-01-05 11:59:00', 'Grace Yip', 'text', 'almost noon'],
    ['2024-01-05 15:12:00', 'Shirley Tam', 'text', 'ok'],
  ]],
  ['android-de.txt', 'Android German DD.MM.YY, HH:MM', 'dmy', [
    ['2024-01-05 15:12:00', 'Grace Yip', 'text', 'Hallo'],
    ['2024-01-05 15:13:00', 'Shirley Tam', 'image', 'IMG-20240105-WA0001.jpg (Datei angehängt)'],
    ['2024-01-06 08:00:00', 'Grace Yip', 'media', '<Medien ausgeschlossen>'],
    ['2024-01-06 08:01:00', 'Grace Yip', 'text', 'Danke'],
  ]],
  ['android-no-comma.txt', 'Android without the comma', 'dmy', [
    ['2023-12-24 23:59:00', 'Grace Yip', 'text', 'still open?'],
    ['2023-12-25 00:01:00', 'Shirley Tam', 'text', 'Merry Christmas!'],
  ]],
  ['android-fi.txt', 'Android Finnish D.M.YYYY klo HH.MM', 'dmy', [
    ['2023-01-02 14:05:00', 'Grace Yip', 'text', 'Hei'],
    ['2023-01-02 14:06:00', 'Shirley Tam', 'text', 'Moi'],
    ['2023-01-03 09:30:00', 'Grace Yip', 'text', 'Kiitos'],
  ]],
  ['ios-en-gb.txt', 'iOS [DD/MM/YYYY, HH:MM:SS] with U+200E lines', 'dmy', [
    ['2023-12-25 14:05:10', 'Grace Yip', 'text', 'Hi there'],
    ['2023-12-25 14:06:00', 'Shirley Tam', 'text', 'Hello!\nHow can I help?'],
    ['2023-12-25 14:07:30', 'Grace Yip', 'image', 'image omitted'],
    ['2023-12-25 14:08:00', 'Grace Yip', 'image', '<attached: 00000012-PHOTO-2023-12-25-14-08-00.jpg>'],
    ['2023-12-26 10:01:00', 'Shirley Tam', 'text', 'Sorry, wrong chat'],
  ]],
  ['ios-en-us.txt', 'iOS [M/D/YY, H:MM:SS PM] (U+202F)', 'mdy', [
    ['2024-01-05 15:12:45', 'Grace Yip', 'text', 'Hello'],
    ['2024-01-05 15:13:00', 'Shirley Tam', 'text', 'Hi'],
    ['2024-01-13 00:00:01', 'Grace Yip', 'text', 'midnight'],
  ]],
  ['ios-de.txt', 'iOS [DD.MM.YY, HH:MM:SS]', 'dmy', [
    ['2024-01-05 15:12:45', 'Grace Yip', 'text', 'Hallo'],
    ['2024-01-05 15:13:00', 'Shirley Tam', 'image', 'Bild weggelassen'],
    ['2024-01-06 09:00:00', 'Grace Yip', 'text', 'Danke'],
  ]],
  ['ios-ymd.txt', 'iOS [YYYY-MM-DD, H:MM:SS AM]', 'ymd', [
    ['2024-01-05 09:05:00', 'Grace Yip', 'text', 'Hi'],
    ['2024-01-05 15:12:45', 'Shirley Tam', 'text', 'Hello'],
  ]],
  ['ios-es-nbsp.txt', 'iOS Spanish with no-break spaces inside p. m.', 'dmy', [
    ['2024-01-05 11:00:00', 'Grace Yip', 'text', 'Buenos días'],
    ['2024-01-05 15:12:45', 'Shirley Tam', 'text', 'Hola'],
    ['2024-01-06 12:30:00', 'Grace Yip', 'image', 'imagen omitida'],
  ]],
  ['android-ko.txt', 'Android Korean YYYY. M. D. 오전/오후 H:MM', 'ymd', [
    ['2024-01-05 00:05:00', '김민지', 'text', '늦은 시간 죄송해요'],
    ['2024-01-05 09:30:00', '윤지혜', 'text', '안녕하세요!'],
    ['2024-01-05 12:00:00', '김민지', 'text', '점심시간이에요'],
    ['2024-01-05 15:12:00', '김민지', 'text', '갤럭시 S24 울트라 재고 있나요?'],
    ['2024-01-05 15:15:00', '윤지혜', 'media', '<미디어 파일 생략>'],
  ]],
  ['ios-ko.txt', 'iOS Korean [YYYY. M. D. 오전/오후 H:MM:SS]', 'ymd', [
    ['2024-01-05 00:00:00', '김민지', 'text', '자정'],
    ['2024-01-05 12:30:00', '윤지혜', 'text', '점심'],
    ['2024-01-05 15:12:45', '김민지', 'text', '안녕하세요'],
    ['2024-01-05 15:13:00', '김민지', 'image', '사진 생략됨'],
  ]],
  ['android-zh.txt', 'Android Chinese YYYY/M/D 上午/下午H:MM', 'ymd', [
    ['2024-01-05 00:00:00', '陳大文', 'text', '午夜'],
    ['2024-01-05 09:05:00', '陳大文', 'text', '早晨'],
    ['2024-01-05 12:00:00', 'Kelly Ho', 'text', '中午'],
    ['2024-01-05 15:12:00', '陳大文', 'text', 'iPhone 15 幾錢？'],
  ]],
  ['ios-zh.txt', 'iOS Chinese [YYYY/M/D 上午/下午H:MM:SS]', 'ymd', [
    ['2024-01-05 11:59:59', '陳大文', 'text', '你好'],
    ['2024-01-05 15:12:45', 'Kelly Ho', 'text', '你好！有咩可以幫到你？'],
    ['2024-01-05 15:13:00', '陳大文', 'image', '圖片已略去'],
  ]],
];

describe('whatsapp-export formats', () => {
  it.each(FORMATS)('reads %s (%s) with date order %s', (file, _layout, order, expected) => {
    const parsed = parseFixture(file);
    expect(parsed.quarantine).toEqual([]);
    expect(parsed.objects.map((r) => [r.sent_local, r.author, r.message_type, r.text])).toEqual(expected);
    expect(new Set(parsed.objects.map((r) => r.date_order))).toEqual(new Set([order]));
    // Every line is a message, a continuation or a system line.
    const t = parsed.tally!;
    expect(t.messages + t.continuations + t.system + t.quarantined + t.blank).toBe(t.total);
  });

  it('marks the business side by name and everyone else as the customer', () => {
    const rows = parseFixture('android-ko.txt').objects;
    expect(rows.map((r) => [r.author, r.is_business, r.customer_name])).toEqual([
      ['김민지', false, '김민지'],
      ['윤지혜', true, '김민지'],
      ['김민지', false, '김민지'],
      ['김민지', false, '김민지'],
      ['윤지혜', true, '김민지'],
    ]);
    expect(rows[1]!.agent_id).toMatch(/^export:agent-[0-9a-f]{12}$/);
    expect(rows[0]!.agent_id).toBeNull();
    expect(FIXTURE_BUSINESS).toContain('윤지혜');
  });

  it('converts the wall-clock times of PARLEY_TZ, or of --tz, to instants', () => {
    // 2024-01-05 15:12 in Hong Kong (UTC+8) is 07:12Z; in Seoul (UTC+9) 06:12Z.
    const hk = parseFixture('android-ko.txt').objects[3]!;
    const seoul = parseFixture('android-ko.txt', { tz: 'Asia/Seoul' }).objects[3]!;
    expect([hk.sent_at, hk.tz]).toEqual(['2024-01-05T07:12:00.000Z', 'Asia/Hong_Kong']);
    expect([seoul.sent_at, seoul.tz]).toEqual(['2024-01-05T06:12:00.000Z', 'Asia/Seoul']);
    expect(seoul.message_id).toBe(hk.message_id);
  });

  it('counts system lines, deleted messages and continuation lines (Android)', () => {
    const { tally, counters } = parseFixture('android-en-gb.txt');
    expect(tally).toEqual({ total: 10, messages: 4, continuations: 4, system: 2, deleted: 1, quarantined: 0, blank: 0 });
    expect(counters).toMatchObject({ messages: 4, media_messages: 2, system_lines: 2, deleted_messages: 1, continuation_lines: 4 });
  });

  it('counts the marked iOS encryption notice and deletion as system lines and strips the edited note', () => {
    const parsed = parseFixture('ios-en-gb.txt');
    expect(parsed.tally).toEqual({ total: 8, messages: 5, continuations: 1, system: 2, deleted: 1, quarantined: 0, blank: 0 });
    expect(parsed.objects.map((r) => r.is_edited)).toEqual([false, false, false, false, true]);
    expect(parsed.objects[3]).toMatchObject({ kind: 'media', media_file: '00000012-PHOTO-2023-12-25-14-08-00.jpg', caption: null });
  });

  it('keeps the file name and caption of attached media', () => {
    const last = parseFixture('android-en-gb.txt').objects[3]!;
    expect(last).toMatchObject({ kind: 'media', message_type: 'image', media_file: 'IMG-20240113-WA0004.jpg', caption: 'Your receipt', is_business: true });
  });

  it('reads a group chat: system lines in several shapes, a subject with ": " in it, "~ " names and phone-number authors', () => {
    const parsed = parseFixture('WhatsApp Chat with TST Office Order.txt');
    expect(parsed.tally).toEqual({ total: 12, messages: 6, continuations: 0, system: 6, deleted: 0, quarantined: 0, blank: 0 });
    expect(parsed.objects.map((r) => [r.sent_local, r.author, r.is_business, r.customer_e164, r.customer_name])).toEqual([
      // the business speaks first: the thread is the first customer who writes
      ['2024-01-02 10:02:00', 'Shirley Tam', true, expect.stringMatching(/^export:[0-9a-f]{16}$/), 'Peter Chan'],
      ['2024-01-02 10:05:00', 'Peter Chan', false, expect.stringMatching(/^export:[0-9a-f]{16}$/), 'Peter Chan'],
      ['2024-01-02 10:06:00', '+852 5123 4567', false, '+85251234567', '+852 5123 4567'],
      ['2024-01-02 10:07:00', 'Shirley Tam', true, '+85251234567', '+852 5123 4567'],
      ['2024-01-03 09:00:00', '~ Mandy', false, expect.stringMatching(/^export:[0-9a-f]{16}$/), '~ Mandy'],
      ['2024-01-03 09:01:00', 'Shirley Tam', true, expect.stringMatching(/^export:[0-9a-f]{16}$/), '~ Mandy'],
    ]);
    const ids = parsed.objects.map((r) => r.customer_e164);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[4]).toBe(ids[5]);
    expect(ids[1]).not.toBe(ids[4]);
    expect(new Set(parsed.objects.map((r) => r.chat_title))).toEqual(new Set(['TST Office Order']));
  });
});
