import type { Config } from '../config/config.ts';
import { readJsonConfig } from '../config/json-config.ts';

/** `config/business_hours.json` as written. */
export interface BusinessHoursFile {
  readonly description?: string;
  /** Weekday (mon..sun) -> open ranges `HH:MM-HH:MM` in PARLEY_TZ. */
  readonly hours: Readonly<Record<string, readonly string[]>>;
  /** Local dates (YYYY-MM-DD) the business is closed all day. */
  readonly closed_dates?: readonly string[];
}

/** One open range of a weekday, in seconds after local midnight (ISO weekday 1 = Monday). */
export interface OpenRange {
  readonly weekday: number;
  readonly open_seconds: number;
  readonly close_seconds: number;
}

/** Business hours ready for SQL: open ranges per weekday and the closed dates. */
export interface BusinessHours {
  readonly ranges: readonly OpenRange[];
  readonly closedDates: readonly string[];
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const RANGE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Seconds after midnight of `HH:MM`, or null when it is not a time of day (24:00 is allowed as an end). */
function clock(h: string, m: string): number | null {
  const hours = Number(h);
  const minutes = Number(m);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 3600 + minutes * 60;
}

/** Problems with a business-hours file (empty when it is fine). */
export function validateBusinessHours(value: unknown): string[] {
  const problems: string[] = [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return ['the file must hold an object with "hours"'];
  const v = value as Record<string, unknown>;
  const hours = v.hours as Record<string, unknown> | undefined;
  if (!hours || typeof hours !== 'object' || Array.isArray(hours)) return ['"hours" must be an object with mon..sun'];
  for (const key of Object.keys(hours)) if (!(WEEKDAYS as readonly string[]).includes(key)) problems.push(`"hours.${key}" is not a weekday (use mon, tue, wed, thu, fri, sat, sun)`);
  for (const day of WEEKDAYS) {
    const ranges = hours[day];
    if (!Array.isArray(ranges)) {
      problems.push(`"hours.${day}" must be a list of "HH:MM-HH:MM" ranges ([] when closed)`);
      continue;
    }
    let lastClose = -1;
    for (const r of ranges) {
      const m = typeof r === 'string' ? RANGE.exec(r) : null;
      const open = m ? clock(m[1]!, m[2]!) : null;
      const close = m ? clock(m[3]!, m[4]!) : null;
      if (open === null || close === null || open >= close) {
        problems.push(`"hours.${day}" range ${JSON.stringify(r)} must be "HH:MM-HH:MM" with the opening before the closing`);
      } else if (open < lastClose) {
        problems.push(`"hours.${day}" ranges must be in order and must not overlap (${JSON.stringify(r)})`);
      } else {
        lastClose = close;
      }
    }
  }
  if (v.closed_dates !== undefined) {
    if (!Array.isArray(v.closed_dates)) problems.push('"closed_dates" must be a list of YYYY-MM-DD dates');
    else for (const d of v.closed_dates) if (typeof d !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) problems.push(`"closed_dates" entry ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
  }
  return problems;
}

/** Reads and validates `config/business_hours.json`. */
export function readBusinessHours(config: Pick<Config, 'configDir'>): BusinessHours {
  const file = readJsonConfig<BusinessHoursFile>(config, 'business_hours', validateBusinessHours);
  const ranges: OpenRange[] = [];
  WEEKDAYS.forEach((day, i) => {
    for (const r of file.hours[day] ?? []) {
      const m = RANGE.exec(r)!;
      ranges.push({ weekday: i + 1, open_seconds: clock(m[1]!, m[2]!)!, close_seconds: clock(m[3]!, m[4]!)! });
    }
  });
  return { ranges, closedDates: [...(file.closed_dates ?? [])] };
}
