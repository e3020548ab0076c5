import { describe, expect, it } from 'vitest';
import { readBusinessHours, validateBusinessHours } from '../../warehouse/business-hours.ts';
import { PROJECT_ROOT } from '../../config/config.ts';
import path from 'node:path';

describe('config/business_hours.json', () => {
  it('ships valid opening hours for every weekday', () => {
    const hours = readBusinessHours({ configDir: path.join(PROJECT_ROOT, 'config') });
    expect(new Set(hours.ranges.map((r) => r.weekday))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
    expect(hours.ranges.find((r) => r.weekday === 1)).toEqual({ weekday: 1, open_seconds: 9 * 3600, close_seconds: 21 * 3600 });
  });

  it.each([
    [{ hours: { mon: ['09:00-21:00'] } }, '"hours.tue" must be a list'],
    [{ hours: { mon: ['21:00-09:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, 'opening before the closing'],
    [{ hours: { mon: ['09:00-13:00', '12:00-18:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, 'must not overlap'],
    [{ hours: { mon: ['9-5'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, '"HH:MM-HH:MM"'],
    [{ hours: { monday: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, '"hours.monday" is not a weekday'],
    [{ hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, closed_dates: ['25/12/2026'] }, 'is not a YYYY-MM-DD date'],
  ])('explains what is wrong with %j', (value, problem) => {
    expect(validateBusinessHours(value).join('; ')).toContain(problem);
  });

  it('accepts split days, closed days and 24:00 as a closing time', () => {
    expect(validateBusinessHours({ hours: { mon: ['09:00-12:30', '13:30-24:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } })).toEqual([]);
  });
});
