import { addDays, localMidnightUtc } from '../../pipelines/demo/local-time.ts';

/** ISO 8601 weeks (`2026-W47`, Monday to Sunday) in the business timezone, without a date library. */

const DAY_MS = 86_400_000;

/** A date as YYYY-MM-DD from UTC milliseconds of its midnight. */
function ymd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** UTC milliseconds of a YYYY-MM-DD date's midnight. */
function dateMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** ISO weekday (1 = Monday) of UTC milliseconds of a midnight. */
function isoWeekday(ms: number): number {
  const d = new Date(ms).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Monday of ISO week 1 of `year`: the week with 4 January in it. */
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - (isoWeekday(jan4) - 1) * DAY_MS;
}

/** The ISO week label (`2026-W47`) of a YYYY-MM-DD date. */
export function isoWeekOf(date: string): string {
  const ms = dateMs(date);
  const thursday = ms + (4 - isoWeekday(ms)) * DAY_MS; // the week's Thursday decides its year
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - weekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday (YYYY-MM-DD) of a week label, or null when the label is not a real ISO week. */
export function parseIsoWeek(label: string): { week: string; start: string; end: string } | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1) return null;
  const monday = weekOneMonday(year) + (week - 1) * 7 * DAY_MS;
  if (isoWeekOf(ymd(monday)) !== label) return null; // week 53 of a 52-week year
  return { week: label, start: ymd(monday), end: ymd(monday + 6 * DAY_MS) };
}

/** Today's date (YYYY-MM-DD) in `tz`. */
export function localDate(now: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The last ISO week that has ended in `tz`: the week before the current one. */
export function lastCompleteWeek(now: Date, tz: string): string {
  return isoWeekOf(ymd(dateMs(localDate(now, tz)) - 7 * DAY_MS));
}

/** An ISO week label such as `2026-W47`, as a pattern for request schemas. */
export const WEEK_PATTERN = '^\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])$';

/** True when `week` is a well-formed ISO week that exists (W53 only in long years). */
export function isValidWeek(week: string): boolean {
  return new RegExp(WEEK_PATTERN).test(week) && parseIsoWeek(week) !== null;
}

/** The Monday (YYYY-MM-DD) that starts a valid ISO week. */
export function weekMonday(week: string): string {
  const parsed = parseIsoWeek(week);
  if (!parsed) throw new Error(`weekMonday: "${week}" is not an ISO week such as 2026-W47`);
  return parsed.start;
}

/** The local week containing `now` in `tz`. */
export function currentWeek(now: Date, tz: string): string {
  return isoWeekOf(localDate(now, tz));
}

/** The instants a local week starts and ends (Monday 00:00 to the next Monday 00:00 in `tz`). */
export function weekBounds(week: string, tz: string): { start: Date; end: Date } {
  const monday = weekMonday(week);
  return { start: new Date(localMidnightUtc(monday, tz)), end: new Date(localMidnightUtc(addDays(monday, 7), tz)) };
}
