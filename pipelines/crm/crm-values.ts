import { offsetMinutes } from '../demo/local-time.ts';

/** A parsed value, or why the text could not be parsed. Empty text gives `{ value: null }`. */
export type Parsed<T> = { readonly value: T | null } | { readonly error: string };

const TOKEN = /YYYY|MM|M|DD|D|HH|H|hh|h|mm|ss|SSS|A|a/g;
const compiled = new Map<string, { re: RegExp; tokens: string[] }>();

/** Turns `DD/MM/YYYY HH:mm` into a regex with one group per token. */
function compile(format: string): { re: RegExp; tokens: string[] } {
  let c = compiled.get(format);
  if (c) return c;
  const tokens: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of format.matchAll(TOKEN)) {
    pattern += escapeLiteral(format.slice(last, m.index));
    tokens.push(m[0]);
    pattern += m[0] === 'YYYY' ? '(\\d{4})' : m[0] === 'SSS' ? '(\\d{1,3})' : /^[Aa]$/.test(m[0]) ? '([AaPp][Mm])' : m[0].length === 2 ? '(\\d{2})' : '(\\d{1,2})';
    last = m.index + m[0].length;
  }
  pattern += escapeLiteral(format.slice(last));
  c = { re: new RegExp(`^${pattern}$`), tokens };
  compiled.set(format, c);
  return c;
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}

/** The UTC instant of a wall-clock time in `tz`. */
export function localToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, tz: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const first = naive - offsetMinutes(naive, tz) * 60000;
  return naive - offsetMinutes(first, tz) * 60000;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a CRM date: ISO 8601 (with or without offset), epoch milliseconds or seconds, or one
 * of `formats` (tokens YYYY MM M DD D HH H hh h mm ss SSS A). Times without an offset are
 * wall-clock times in `tz`; a date alone is local midnight.
 */
export function parseCrmDate(text: string | null | undefined, formats: readonly string[], tz: string): Parsed<Date> {
  const t = (text ?? '').trim();
  if (t === '') return { value: null };
  if (/^\d{12,13}$/.test(t)) return { value: new Date(Number(t)) };
  if (/^\d{10}$/.test(t)) return { value: new Date(Number(t) * 1000) };
  const iso = ISO.exec(t);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    const parts = [Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms] as const;
    if (!validParts(...parts)) return { error: `"${t}" is not a real date` };
    if (zone) {
      const sign = zone === 'Z' ? 0 : zone.startsWith('-') ? -1 : 1;
      const [oh, om] = zone === 'Z' ? [0, 0] : [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
      return { value: new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], parts[6]) - sign * (oh * 60 + om) * 60000) };
    }
    return { value: new Date(localToUtc(...parts, tz)) };
  }
  for (const format of formats) {
    const { re, tokens } = compile(format);
    const m = re.exec(t);
    if (!m) continue;
    let y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0;
    let pm: boolean | undefined;
    tokens.forEach((tok, i) => {
      const v = m[i + 1]!;
      if (tok === 'YYYY') y = Number(v);
      else if (tok === 'MM' || tok === 'M') mo = Number(v);
      else if (tok === 'DD' || tok === 'D') d = Number(v);
      else if (tok === 'HH' || tok === 'H' || tok === 'hh' || tok === 'h') h = Number(v);
      else if (tok === 'mm') mi = Number(v);
      else if (tok === 'ss') s = Number(v);
      else if (tok === 'SSS') ms = Number(v.padEnd(3, '0'));
      else pm = v.toLowerCase() === 'pm';
    });
    if (pm !== undefined) {
      if (h < 1 || h > 12) continue;
      h = (h % 12) + (pm ? 12 : 0);
    }
    if (!validParts(y, mo, d, h, mi, s, ms)) continue;
    return { value: new Date(localToUtc(y, mo, d, h, mi, s, ms, tz)) };
  }
  return { error: `"${t}" matches none of the date formats ${['ISO 8601', ...formats].join(', ')}` };
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): boolean {
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59 || ms > 999) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * Parses an amount such as `9,399.00`, `HK$ 9 399`, `₩1,900,000` or (with decimal `,`)
 * `9.399,50`: currency signs, letters and spaces are ignored.
 */
export function parseAmount(text: string | null | undefined, decimal: '.' | ',' = '.'): Parsed<number> {
  const t = (text ?? '').trim();
  if (t === '') return { value: null };
  let s = t.replace(/[\s\u00a0\u202f]/g, '').replace(/^[^\d+-]+|[^\d]+$/g, '');
  const negative = s.startsWith('-') || /^\(.*\)$/.test(t);
  s = s.replace(/^[+-]/, '');
  s = decimal === ',' ? s.replaceAll('.', '').replace(',', '.') : s.replaceAll(',', '');
  if (!/^\d+(\.\d+)?$/.test(s)) return { error: `"${t}" is not an amount` };
  return { value: (negative ? -1 : 1) * Number(s) };
}

/** Looks a value up in a `name -> [aliases]` table ignoring case and surrounding spaces. */
export function lookupAlias(table: Readonly<Record<string, readonly string[]>>, text: string | null | undefined): Parsed<string> {
  const t = (text ?? '').trim().toLowerCase();
  if (t === '') return { value: null };
  for (const [name, aliases] of Object.entries(table)) {
    if (name.toLowerCase() === t || aliases.some((a) => a.toLowerCase() === t)) return { value: name };
  }
  return { error: `"${(text ?? '').trim()}" is not a known value (known: ${Object.keys(table).join(', ')})` };
}
