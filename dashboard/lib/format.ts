import { currentLang, t, type Lang } from './i18n.ts';

/** The Intl locale for number and date formatting in a UI language. */
export function localeOf(lang: Lang = currentLang()): string {
  if (lang === 'ko') return 'ko-KR';
  const nav = typeof navigator === 'undefined' ? 'en' : navigator.language;
  return nav.toLowerCase().startsWith('en') ? nav : 'en';
}

const UNITS: Record<Lang, { d: string; h: string; m: string; s: string; sep: string }> = {
  en: { d: 'd', h: 'h', m: 'm', s: 's', sep: ' ' },
  ko: { d: '일', h: '시간', m: '분', s: '초', sep: ' ' },
};

/** True for a finite number (mart values may be null or missing). */
export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * A duration in seconds as people read it: `45s`, `2m 35s`, `1h 05m`, `2d 3h` (Korean
 * units with `?lang=ko`). Rounds to whole seconds; null shows as an em dash.
 */
export function formatDuration(seconds: unknown, lang: Lang = currentLang()): string {
  if (!isNum(seconds)) return '—';
  const u = UNITS[lang];
  const sign = seconds < 0 ? '-' : '';
  let s = Math.round(Math.abs(seconds));
  if (s < 60) return `${sign}${s}${u.s}`;
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}${u.d}${u.sep}${h}${u.h}`;
  if (h > 0) return `${sign}${h}${u.h}${u.sep}${two(m)}${u.m}`;
  return `${sign}${m}${u.m}${u.sep}${two(s)}${u.s}`;
}

/** A whole or decimal number with the locale's grouping (`12,345`, `3.4`). */
export function formatNumber(v: unknown, maxFractionDigits = 1): string {
  if (!isNum(v)) return '—';
  return new Intl.NumberFormat(localeOf(), { maximumFractionDigits: maxFractionDigits }).format(v);
}

/** A share 0..1 as a percentage (`84.6%`). */
export function formatPercent(share: unknown, fractionDigits = 1): string {
  if (!isNum(share)) return '—';
  return new Intl.NumberFormat(localeOf(), { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: fractionDigits }).format(share);
}

/** A change of a share in percentage points (`+2.3 pp`). */
export function formatPoints(change: unknown): string {
  if (!isNum(change)) return '—';
  const pp = change * 100;
  const text = new Intl.NumberFormat(localeOf(), { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(pp);
  return `${text} pp`;
}

/** Money in USD; amounts under a dollar keep four decimals (`$0.0083`), larger ones two. */
export function formatCurrency(v: unknown, currency = 'USD'): string {
  if (!isNum(v)) return '—';
  const small = Math.abs(v) > 0 && Math.abs(v) < 1;
  return new Intl.NumberFormat(localeOf(), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: small ? 4 : 2 }).format(v);
}

/** A signed number change (`+12`, `-3`). */
export function formatSigned(v: unknown, maxFractionDigits = 1): string {
  if (!isNum(v)) return '—';
  return new Intl.NumberFormat(localeOf(), { maximumFractionDigits: maxFractionDigits, signDisplay: 'exceptZero' }).format(v);
}

/** A timestamp in the business timezone, with the zone named (`24 Nov 2026, 14:05 HKT`). */
export function formatLocalTime(iso: unknown, timeZone: string | undefined): string {
  if (typeof iso !== 'string' || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  try {
    // dateStyle cannot be combined with timeZoneName, so the fields are named one by one.
    return new Intl.DateTimeFormat(localeOf(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone, timeZoneName: 'short' }).format(d);
  } catch {
    return d.toISOString();
  }
}

/** The local date of a timestamp in the business timezone (`Oct 15, 2026`). */
export function formatLocalDate(iso: unknown, timeZone: string | undefined): string {
  if (typeof iso !== 'string' || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  try {
    return new Intl.DateTimeFormat(localeOf(), { dateStyle: 'medium', timeZone }).format(d);
  } catch {
    return iso.slice(0, 10);
  }
}

/** How long ago a timestamp was (`3h 05m ago`), from a reference time. */
export function formatAgo(iso: unknown, now: Date, lang: Lang = currentLang()): string {
  if (typeof iso !== 'string') return '—';
  const seconds = (now.getTime() - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(seconds)) return '—';
  const d = formatDuration(Math.max(0, seconds), lang);
  return lang === 'ko' ? `${d} 전` : `${d} ago`;
}

/** Bytes as `12.3 MB`. */
export function formatBytes(v: unknown): string {
  if (!isNum(v)) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = v;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${formatNumber(n, i === 0 ? 0 : 1)} ${units[i]}`;
}

/**
 * Formats a mart value by its column name's unit suffix (`_seconds` as a duration, `_usd`
 * as money, `_rate`/`share` as percent), so generic tables read well.
 */
export function formatByColumn(column: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  if (!isNum(value)) return String(value);
  if (/_seconds(_change)?$/.test(column)) return column.endsWith('_change') ? `${value > 0 ? '+' : ''}${formatDuration(value)}` : formatDuration(value);
  if (/(_usd|^cost_per_|_cost$)/.test(column)) return formatCurrency(value);
  if (/(rate|share|_pct)(_change)?$|^share_|_share_/.test(column) || (/_target$/.test(column) && value <= 1)) return column.endsWith('_change') ? formatPoints(value) : formatPercent(value);
  if (/_change$/.test(column)) return formatSigned(value);
  if (/^days_|_days$/.test(column)) return formatNumber(value, 1);
  return formatNumber(value, 2);
}
