import { describe, expect, it } from 'vitest';
import { inferDateOrder, toCalendarDate, usualDateOrder } from '../../../pipelines/sources/whatsapp-export/date-order.ts';

const dates = (...texts: string[]) =>
  texts.map((t) => {
    const p = t.split(/[./-]/);
    return { parts: p.map(Number) as [number, number, number], firstDigits: p[0]!.length };
  });

describe('date order', () => {
  it.each([
    ['a first part above 12 means day first', dates('25/12/23', '26/12/23'), 'mdy', { order: 'dmy', guessed: false }],
    ['a middle part above 12 means month first', dates('12/25/23', '12/26/23'), 'dmy', { order: 'mdy', guessed: false }],
    ['a four-digit first part means year first', dates('2024/1/5', '2024/1/6'), 'dmy', { order: 'ymd', guessed: false }],
    ['the order that keeps time moving forward wins', dates('11/03/24', '12/03/24', '01/04/24'), 'mdy', { order: 'dmy', guessed: false }],
    ['the part that changes more often is the day', dates('01/02/24', '02/02/24', '03/02/24'), 'mdy', { order: 'dmy', guessed: false }],
    ['the part that changes more often is the day (month first)', dates('02/01/24', '02/02/24', '02/03/24'), 'dmy', { order: 'mdy', guessed: false }],
    ['one date that reads both ways takes the layout usual order', dates('05/06/24', '05/06/24'), 'mdy', { order: 'mdy', guessed: true }],
    ['no dates at all take the usual order', [], 'dmy', { order: 'dmy', guessed: true }],
  ] as const)('%s', (_what, written, usual, expected) => {
    expect(inferDateOrder(written, usual)).toEqual(expected);
  });

  it('knows which numbers are no date', () => {
    expect(toCalendarDate([31, 2, 2024], 'dmy')).toBeUndefined();
    expect(toCalendarDate([29, 2, 24], 'dmy')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(toCalendarDate([2, 29, 23], 'mdy')).toBeUndefined();
    expect(toCalendarDate([2024, 1, 5], 'ymd')).toEqual({ year: 2024, month: 1, day: 5 });
  });

  it('takes dotted dates for day first and 12-hour slashed dates for month first when the dates cannot tell', () => {
    expect(usualDateOrder('android|.|,|--y|24h|:|')).toBe('dmy');
    expect(usualDateOrder('android|/|,|--y|post|:|')).toBe('mdy');
    expect(usualDateOrder('ios|/|,|--Y|24h|:|s')).toBe('dmy');
    expect(usualDateOrder('android|/|,|--Y|24h|.|')).toBe('dmy');
    expect(usualDateOrder('ios|-|,|Y--|post|:|s')).toBe('ymd');
  });
});
