/**
 * Works out how a file writes its dates (day/month/year, month/day/year or year/month/day).
 * Exports carry no locale, and 05/06/24 reads both ways, so the whole file decides: a part
 * above 12 cannot be a month, a four-digit part is the year, the right order keeps the
 * messages in time order, and the day changes more often than the month.
 */

/** The orders WhatsApp writes dates in. */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';
export const DATE_ORDERS: readonly DateOrder[] = ['dmy', 'mdy', 'ymd'];

/** The date numbers of one header as written. */
export interface WrittenDate {
  readonly parts: readonly [number, number, number];
  readonly firstDigits: number;
}

/** The order chosen, and whether the dates could not tell (then the layout's usual order was taken). */
export interface DateOrderChoice {
  readonly order: DateOrder;
  readonly guessed: boolean;
}

/** A calendar date, or undefined when the numbers are no date in that order. */
export function toCalendarDate(parts: readonly [number, number, number], order: DateOrder): { year: number; month: number; day: number } | undefined {
  const [a, b, c] = parts;
  const [y, m, d] = order === 'ymd' ? [a, b, c] : order === 'dmy' ? [c, b, a] : [c, a, b];
  const year = y < 100 ? 2000 + y : y;
  if (year < 1990 || year > 2099 || m < 1 || m > 12 || d < 1 || d > daysInMonth(year, m)) return undefined;
  return { year, month: m, day: d };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : MONTH_DAYS[month - 1]!;
}

/**
 * Chooses the date order of a file from its header dates (in file order). `usual` is the
 * order the layout is commonly written in, taken only when the dates cannot tell.
 */
export function inferDateOrder(dates: readonly WrittenDate[], usual: DateOrder): DateOrderChoice {
  const yearFirst = dates.length > 0 && dates.filter((d) => d.firstDigits >= 3).length * 2 > dates.length;
  if (yearFirst) return { order: 'ymd', guessed: false };
  const scores = (['dmy', 'mdy'] as const).map((order) => ({ order, ...score(dates, order) }));
  scores.sort((x, y) => x.invalid - y.invalid || x.backwards - y.backwards || y.dayChanges - x.dayChanges);
  const [best, next] = scores as [Score, Score];
  const tie = best.invalid === next.invalid && best.backwards === next.backwards && best.dayChanges === next.dayChanges;
  if (tie) return { order: usual === 'ymd' ? 'dmy' : usual, guessed: true };
  return { order: best.order, guessed: false };
}

interface Score {
  readonly order: DateOrder;
  readonly invalid: number;
  readonly backwards: number;
  readonly dayChanges: number;
}

/** How well an order fits: impossible dates, steps back in time, and how often its day part changes. */
function score(dates: readonly WrittenDate[], order: DateOrder): Omit<Score, 'order'> {
  let invalid = 0;
  let backwards = 0;
  let dayChanges = 0;
  let previous: number | undefined;
  let previousDay: number | undefined;
  const dayIndex = order === 'dmy' ? 0 : 1;
  for (const d of dates) {
    const date = toCalendarDate(d.parts, order);
    if (!date) {
      invalid++;
      continue;
    }
    const key = date.year * 10_000 + date.month * 100 + date.day;
    if (previous !== undefined && key < previous) backwards++;
    const day = d.parts[dayIndex];
    if (previousDay !== undefined && day !== previousDay) dayChanges++;
    previous = key;
    previousDay = day;
  }
  return { invalid, backwards, dayChanges };
}

/** The order a layout is usually written in: dotted dates are day first, 12-hour slashed dates (en-US) month first. */
export function usualDateOrder(layout: string): DateOrder {
  const [, separator, , yearShape, clock] = layout.split('|');
  if (yearShape === 'Y--') return 'ymd';
  if (separator === '.') return 'dmy';
  return clock === '24h' ? 'dmy' : 'mdy';
}
