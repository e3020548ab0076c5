import type { Config } from '../../../config/config.ts';
import { PipelineError } from '../../errors.ts';
import { PhoneNormaliser } from '../../phones.ts';
import { resolveBusinessNames } from './business-names.ts';
import { DATE_ORDERS, type DateOrder } from './date-order.ts';
import type { ExportParseOptions } from './parse-export.ts';
import { ZonedClock } from './zoned-clock.ts';

/**
 * Options given explicitly for a run (`--business`, `--date-order`, `--tz`). They stick to
 * the file and chat they were given for, so a scheduled run that reads a rewritten export of
 * that chat later reads it the same way instead of guessing again.
 */
export interface ReadOptions {
  readonly business?: string;
  readonly 'date-order'?: DateOrder;
  readonly tz?: string;
}

/** The export options of a run, checked: a bad value is a usage error naming the option. */
export function explicitOptions(options: Readonly<Record<string, string>>): ReadOptions {
  const out: { business?: string; 'date-order'?: DateOrder; tz?: string } = {};
  const order = options['date-order'];
  if (order !== undefined) {
    if (!DATE_ORDERS.includes(order as DateOrder)) {
      throw new PipelineError('PIPE_BAD_OPTION', `--date-order "${order}" must be dmy, mdy or ymd (day/month/year, month/day/year, year/month/day).`);
    }
    out['date-order'] = order as DateOrder;
  }
  if (options.tz !== undefined) {
    new ZonedClock(options.tz);
    out.tz = options.tz;
  }
  if (options.business !== undefined) {
    if (options.business.trim() === '') throw new PipelineError('PIPE_BAD_OPTION', '--business must name the person or business account whose messages are yours, e.g. --business "Shirley Tam".');
    out.business = options.business.trim();
  }
  return out;
}

/** A canonical text of read options (keys sorted), for cursors and comparisons. */
export function optionsKey(options: ReadOptions): string {
  return JSON.stringify(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
}

/** Read options stored in a cursor; anything unreadable counts as none. */
export function storedOptions(value: unknown): ReadOptions {
  if (value === null || typeof value !== 'object') return {};
  try {
    return explicitOptions(Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>);
  } catch {
    return {};
  }
}

/**
 * Turns read options into parse options: config business names (read once, and only when
 * a file needs them), one clock per timezone and one phone normaliser for the run.
 */
export class ExportSettings {
  private configNames: string[] | undefined;
  private readonly clocks = new Map<string, ZonedClock>();
  private readonly phones: PhoneNormaliser;

  constructor(private readonly config: Pick<Config, 'configDir' | 'tz' | 'region'>) {
    this.phones = new PhoneNormaliser(config.region);
  }

  /** The parse options for a file read with `options`. */
  for(options: ReadOptions): ExportParseOptions {
    const tz = options.tz ?? this.config.tz;
    let clock = this.clocks.get(tz);
    if (!clock) this.clocks.set(tz, (clock = new ZonedClock(tz)));
    const businessNames = options.business !== undefined ? [options.business] : (this.configNames ??= resolveBusinessNames(this.config));
    return { businessNames, dateOrder: options['date-order'], clock, phones: this.phones };
  }
}
