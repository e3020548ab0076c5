/**
 * Recognises the first line of an exported message: a date, a time and either ` - ` (Android)
 * or `] ` (iOS) before the author and text. The date's order is not decided here (a file's
 * headers decide it together, see date-order.ts); the 12-hour clock is.
 */

/** Which half of the day a 12-hour time is in. `noon` is Chinese 中午 (11:xx and 12:xx as is, 1:xx and 2:xx after noon). */
export type Meridiem = 'am' | 'pm' | 'noon';

/** Day-half words written before the time (Korean, Chinese, Japanese). */
const PRE_MERIDIEM: Readonly<Record<string, Meridiem>> = {
  오전: 'am',
  오후: 'pm',
  上午: 'am',
  下午: 'pm',
  凌晨: 'am',
  早上: 'am',
  中午: 'noon',
  晚上: 'pm',
  傍晚: 'pm',
  午前: 'am',
  午後: 'pm',
};

/** A recognised header line, before the file's date order is applied. */
export interface HeaderLine {
  /** The three date numbers in the order written, with the digits of the first and last. */
  readonly parts: readonly [number, number, number];
  readonly firstDigits: number;
  readonly lastDigits: number;
  /** Hour on a 24-hour clock, or NaN when a 12-hour time is impossible (13 PM). */
  readonly hour: number;
  readonly minute: number;
  /** Seconds (iOS writes them), or 0. */
  readonly second: number;
  readonly hasSeconds: boolean;
  /** The shape of the header: lines of one export all share it, so a continuation line that merely starts with a date in another shape is not taken for a header. */
  readonly layout: string;
  /** Everything after ` - ` or `] `: `Author: text` or a system line. */
  readonly rest: string;
}

const PRE = Object.keys(PRE_MERIDIEM).join('|');
// 1 [  2 first  3 separator  4 middle  5 last  6 comma  7 pre-meridiem  8 hour  9 time separator
// 10 minute  11 second  12 a/p of AM/PM  13 ]  14 ' -'  15 rest
const HEADER = new RegExp(
  '^(\\[)?(\\d{1,4})([./-]) ?(\\d{1,2})\\3 ?(\\d{1,4})\\.?(,)? ?(?:klo )?' +
    `(?:(${PRE}) ?)?` +
    '(\\d{1,2})([:.])(\\d{2})(?:\\9(\\d{2}))?' +
    '(?: ?([AaPp])\\.? ?[Mm]\\.?)?' +
    '(?:(\\])| ([-–]))' +
    ' ([^]*)$',
);

/** Direction marks WhatsApp puts around names and placeholders, and invisible joiners. */
const INVISIBLE = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Spaces that are not plain spaces: no-break (U+00A0), narrow no-break (U+202F), figure space. */
const ODD_SPACES = /[\u00a0\u2007\u202f]/g;
const NEEDS_CLEANING = /[\u00a0\u2007\u200e\u200f\u202a-\u202f\u2066-\u2069\ufeff]/;

/** A line with direction marks removed and no-break spaces made plain. */
export function cleanLine(line: string): string {
  return NEEDS_CLEANING.test(line) ? line.replace(INVISIBLE, '').replace(ODD_SPACES, ' ') : line;
}

/** The header parts of a cleaned line, or null when the line does not start a message. */
export function recogniseHeader(line: string): HeaderLine | null {
  const c0 = line.charCodeAt(0);
  // Fast path: a header starts with a digit or '['.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 91)) return null;
  const m = HEADER.exec(line);
  if (!m) return null;
  const bracket = m[1] !== undefined;
  if (bracket !== (m[13] !== undefined)) return null;
  const pre = m[7] !== undefined ? PRE_MERIDIEM[m[7]] : undefined;
  const post: Meridiem | undefined = m[12] === undefined ? undefined : m[12] === 'a' || m[12] === 'A' ? 'am' : 'pm';
  if (pre && post) return null;
  const meridiem = pre ?? post;
  const first = m[2]!;
  const last = m[5]!;
  const hour = toHour24(Number(m[8]), meridiem);
  const layout = [
    bracket ? 'ios' : 'android',
    m[3],
    m[6] ? ',' : '',
    first.length >= 3 ? 'Y--' : last.length >= 3 ? '--Y' : '--y',
    pre ? 'pre' : post ? 'post' : '24h',
    m[9],
    m[11] !== undefined ? 's' : '',
  ].join('|');
  return {
    parts: [Number(first), Number(m[4]), Number(last)],
    firstDigits: first.length,
    lastDigits: last.length,
    hour,
    minute: Number(m[10]),
    second: m[11] !== undefined ? Number(m[11]) : 0,
    hasSeconds: m[11] !== undefined,
    layout,
    rest: m[15]!,
  };
}

/** The hour on a 24-hour clock: 오후 3 and 下午3 are 15; 12 AM and 오전 12 are 0; 12 PM is noon. */
export function toHour24(hour: number, meridiem: Meridiem | undefined): number {
  if (meridiem === undefined) return hour;
  if (hour > 12) return Number.NaN;
  if (meridiem === 'am') return hour % 12;
  if (meridiem === 'pm') return (hour % 12) + 12;
  return hour >= 11 ? hour : hour + 12;
}
