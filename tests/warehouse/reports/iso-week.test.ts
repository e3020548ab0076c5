import { describe, expect, it } from 'vitest';
import { isoWeekOf, lastCompleteWeek, parseIsoWeek } from '../../../warehouse/reports/iso-week.ts';

describe('ISO weeks', () => {
  it.each([
    ['2026-11-16', '2026-W47'],
    ['2026-11-22', '2026-W47'],
    ['2026-11-23', '2026-W48'],
    ['2026-01-01', '2026-W01'], // a Thursday: week 1
    ['2027-01-01', '2026-W53'], // a Friday: the last week of 2026
    ['2024-12-30', '2025-W01'], // a Monday in the first week of 2025
  ])('labels %s as %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('turns a label into its Monday and Sunday and refuses weeks that do not exist', () => {
    expect(parseIsoWeek('2026-W47')).toEqual({ week: '2026-W47', start: '2026-11-16', end: '2026-11-22' });
    expect(parseIsoWeek('2026-W53')).toEqual({ week: '2026-W53', start: '2026-12-28', end: '2027-01-03' });
    expect(parseIsoWeek('2025-W53')).toBeNull(); // 2025 has 52 weeks
    expect(parseIsoWeek('2026-W00')).toBeNull();
    expect(parseIsoWeek('2026-47')).toBeNull();
  });

  it('takes the last complete week in the business timezone', () => {
    // Monday 23 Nov 2026 00:30 in Hong Kong is still Sunday 22 Nov in UTC
    const mondayMorningHk = new Date('2026-11-22T16:30:00Z');
    expect(lastCompleteWeek(mondayMorningHk, 'Asia/Hong_Kong')).toBe('2026-W47');
    expect(lastCompleteWeek(mondayMorningHk, 'UTC')).toBe('2026-W46');
  });
});
