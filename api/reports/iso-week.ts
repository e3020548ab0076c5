import { addDays, isoWeekday, localMidnightUtc, localToday } from '../../pipelines/demo/local-time.ts';

/** An ISO week label such as `2026-W47`. */
export const WEEK_PATTERN = '^\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])$';

/** The ISO week (`2026-W47`) a local date (YYYY-MM-DD) falls in. */
export function isoWeekOfDate(date: string): string {
  // The ISO year and week are those of the week's Thursday.
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  return `${year}-W${String(Math.floor((dayOfYear - 1) / 7) + 1).padStart(2, '0')}`;
}

/** The Monday (YYYY-MM-DD) that starts an ISO week. */
export function weekMonday(week: string): string {
  const year = Number(week.slice(0, 4));
  const n = Number(week.slice(6));
  // January 4th is always in week 1.
  const jan4 = `${year}-01-04`;
  return addDays(jan4, 1 - isoWeekday(jan4) + (n - 1) * 7);
}

/** True when `week` is a well-formed ISO week that exists (W53 only in long years). */
export function isValidWeek(week: string): boolean {
  return new RegExp(WEEK_PATTERN).test(week) && isoWeekOfDate(weekMonday(week)) === week;
}

/** The local week containing `now` in `tz`. */
export function currentWeek(now: Date, tz: string): string {
  return isoWeekOfDate(localToday(tz, now));
}

/** The last complete local week before `now` (what "last week's report" means on a Monday morning). */
export function lastCompleteWeek(now: Date, tz: string): string {
  return isoWeekOfDate(addDays(localToday(tz, now), -7));
}

/** The instants a local week starts and ends (Monday 00:00 to the next Monday 00:00 in `tz`). */
export function weekBounds(week: string, tz: string): { start: Date; end: Date } {
  const monday = weekMonday(week);
  return { start: new Date(localMidnightUtc(monday, tz)), end: new Date(localMidnightUtc(addDays(monday, 7), tz)) };
}
