/** ISO week labels (`2026-W47`) in the browser, for pickers and ranges. */

const DAY = 86_400_000;

/** The Monday (UTC date) of an ISO week label. */
export function weekMonday(week: string): Date {
  const year = Number(week.slice(0, 4));
  const n = Number(week.slice(6));
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(jan4 - jan4Weekday * DAY + (n - 1) * 7 * DAY);
}

/** The ISO week label of a UTC date. */
export function weekOf(date: Date): string {
  const weekday = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) + (3 - weekday) * DAY);
  const year = thursday.getUTCFullYear();
  const n = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** The week `delta` weeks from `week` (negative goes back). */
export function addWeeks(week: string, delta: number): string {
  return weekOf(new Date(weekMonday(week).getTime() + delta * 7 * DAY));
}

/** The `count` weeks ending at `last`, oldest first. */
export function weeksEnding(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addWeeks(last, i - count + 1));
}

/** A week's dates as `Nov 16 – 22` in the given locale. */
export function weekSpan(week: string, locale: string): string {
  const monday = weekMonday(week);
  const sunday = new Date(monday.getTime() + 6 * DAY);
  const fmt = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return fmt.formatRange ? fmt.formatRange(monday, sunday) : `${fmt.format(monday)} – ${fmt.format(sunday)}`;
}

/** Today's date in a timezone as a UTC-midnight Date (for week arithmetic). */
export function localToday(timeZone: string, now = new Date()): Date {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return new Date(`${parts}T00:00:00Z`);
}

/** The last complete ISO week in a timezone (the week before the current one). */
export function lastCompleteWeek(timeZone: string, now = new Date()): string {
  return weekOf(new Date(localToday(timeZone, now).getTime() - 7 * DAY));
}
