import { describe, expect, it } from 'vitest';
import { cleanLine, recogniseHeader, toHour24 } from '../../../pipelines/sources/whatsapp-export/header-line.ts';

describe('header lines', () => {
  it.each([
    ['오후 3:12 is 15:12', '2024. 1. 5. 오후 3:12 - 이름: 텍스트', 15, 12],
    ['오후 12:30 is half past noon', '2024. 1. 5. 오후 12:30 - 이름: 텍스트', 12, 30],
    ['오전 12:05 is just after midnight', '2024. 1. 5. 오전 12:05 - 이름: 텍스트', 0, 5],
    ['下午3:12 is 15:12', '2024/1/5 下午3:12 - 名字: 文字', 15, 12],
    ['上午12:00 is midnight', '2024/1/5 上午12:00 - 名字: 文字', 0, 0],
    ['下午12:00 is noon', '2024/1/5 下午12:00 - 名字: 文字', 12, 0],
    ['中午1:00 is 13:00', '2024/1/5 中午1:00 - 名字: 文字', 13, 0],
    ['3:12 PM is 15:12', '1/5/24, 3:12 PM - Name: text', 15, 12],
    ['12:00 AM is midnight', '1/5/24, 12:00 AM - Name: text', 0, 0],
    ['12:00 PM is noon', '1/5/24, 12:00 PM - Name: text', 12, 0],
    ['3:12 p. m. with no-break spaces is 15:12', cleanLine('[5/1/24, 3:12:45\u202fp.\u00a0m.] Name: text'), 15, 12],
    ['iOS with seconds', '[2024. 1. 5. 오후 3:12:45] 이름: 텍스트', 15, 12],
    ['Finnish dotted time', '2.1.2023 klo 14.05 - Nimi: teksti', 14, 5],
  ])('%s', (_what, line, hour, minute) => {
    expect(recogniseHeader(line)).toMatchObject({ hour, minute });
  });

  it('keeps the author and text after the separator', () => {
    expect(recogniseHeader('[25/12/2023, 14:05:10] Grace Yip: Hi: there')).toMatchObject({ parts: [25, 12, 2023], second: 10, rest: 'Grace Yip: Hi: there' });
    expect(recogniseHeader('25.12.23, 14:05 - Grace: Hallo')).toMatchObject({ parts: [25, 12, 23], firstDigits: 2, lastDigits: 2 });
  });

  it.each([
    '25/12/2023 is a holiday, so maybe 27/12.',
    '[12/25/23] order #123',
    '2024. 1. 5. 이후에 연락주세요',
    '12:30 - lunch',
    '25/12/2023, 14:05 Grace: no dash',
    '[25/12/2023, 14:05:10 Grace: no closing bracket',
    '25/12/2023, 14:05] Grace: closing bracket without opening',
    '2024/1/5 下午3:12 PM - 名字: two day-halves',
    'Grace Yip: 25/12/2023, 14:05 - hi',
    '',
  ])('does not take %j for a header', (line) => {
    expect(recogniseHeader(line)).toBeNull();
  });

  it('gives an impossible 12-hour time NaN, so the line is quarantined', () => {
    expect(toHour24(13, 'pm')).toBeNaN();
    expect(toHour24(23, undefined)).toBe(23);
  });

  it('removes direction marks and makes no-break spaces plain', () => {
    expect(cleanLine('\u200e[1/5/24, 3:12:45\u202fPM] A: \u200eimage\u00a0omitted')).toBe('[1/5/24, 3:12:45 PM] A: image omitted');
  });
});
