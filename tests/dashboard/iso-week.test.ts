import { describe, expect, it } from 'vitest';
import { addWeeks, lastCompleteWeek, weekMonday, weekOf, weeksEnding } from '../../dashboard/lib/iso-week.ts';

describe('dashboard ISO weeks', () => {
  it.each([
    ['2026-11-16', '2026-W47'],
    ['2026-11-22', '2026-W47'],
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2026-01-01', '2026-W01'],
  ])('puts %s in %s', (date, week) => {
    expect(weekOf(new Date(`${date}T00:00:00Z`))).toBe(week);
  });

  it('finds the Monday of a week', () => {
    expect(weekMonday('2026-W47').toISOString().slice(0, 10)).toBe('2026-11-16');
    expect(weekMonday('2020-W53').toISOString().slice(0, 10)).toBe('2020-12-28');
  });

  it('steps across year ends, including 53-week years', () => {
    expect(addWeeks('2020-W53', 1)).toBe('2021-W01');
    expect(addWeeks('2021-W01', -1)).toBe('2020-W53');
    expect(addWeeks('2026-W02', -3)).toBe('2025-W51');
    expect(weeksEnding('2026-W02', 3)).toEqual(['2025-W52', '2026-W01', '2026-W02']);
  });

  it('takes the last complete week in the business timezone, not the browser\'s', () => {
    // Monday 00:30 in Hong Kong is still Sunday in UTC: the week just ended is W47 there.
    const now = new Date('2026-11-22T16:30:00Z');
    expect(lastCompleteWeek('Asia/Hong_Kong', now)).toBe('2026-W47');
    expect(lastCompleteWeek('UTC', now)).toBe('2026-W46');
  });
});
