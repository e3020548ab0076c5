import { offsetMinutes } from './local-time.ts';

/** One CSV line: fields quoted when they hold the delimiter, a quote, a line break or edge spaces. */
export function csvLine(fields: readonly (string | number | null | undefined)[], delimiter: string): string {
  return fields
    .map((f) => {
      const s = f === null || f === undefined ? '' : String(f);
      return s.includes(delimiter) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(delimiter);
}

/** The wall-clock parts of an instant in `tz`. */
function local(ms: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const t = new Date(ms + offsetMinutes(ms, tz) * 60000);
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Salesforce (en-US) date-time: `11/3/2026 2:05 PM`. */
export function usDateTime(ms: number, tz: string): string {
  const t = local(ms, tz);
  return `${t.mo}/${t.d}/${t.y} ${t.h % 12 === 0 ? 12 : t.h % 12}:${p2(t.mi)} ${t.h < 12 ? 'AM' : 'PM'}`;
}

/** Salesforce (en-US) date: `11/3/2026`. */
export function usDate(ms: number, tz: string): string {
  const t = local(ms, tz);
  return `${t.mo}/${t.d}/${t.y}`;
}

/** Zoho date-time: `2026-11-03 14:05:09`. */
export function isoLocalDateTime(ms: number, tz: string): string {
  const t = local(ms, tz);
  return `${t.y}-${p2(t.mo)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
}

/** Zoho (European locale) date: `03/11/2026`. */
export function dmyDate(ms: number, tz: string): string {
  const t = local(ms, tz);
  return `${p2(t.d)}/${p2(t.mo)}/${t.y}`;
}
