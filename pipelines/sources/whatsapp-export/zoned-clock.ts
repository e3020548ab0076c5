import { PipelineError } from '../../errors.ts';

const QUARTER_HOUR = 15 * 60_000;
const HALF_DAY = 12 * 60 * 60_000;
const DAY = 2 * HALF_DAY;

/**
 * Turns wall-clock times of one timezone into instants. Exports carry no offset, so a time is
 * read in the business timezone (or `--tz`). A time that happens twice when clocks go back
 * takes the earlier instant; one skipped when clocks go forward moves forward by the gap
 * (as JavaScript's Temporal does). Offsets are cached per day (per quarter hour on days the
 * clocks change): a million lines of one chat need a few thousand Intl look-ups.
 */
export class ZonedClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly days = new Map<number, number>();
  private readonly quarters = new Map<number, number>();

  constructor(readonly tz: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new PipelineError('PIPE_BAD_OPTION', `--tz "${tz}" is not an IANA timezone; use a name such as Asia/Hong_Kong or Asia/Seoul.`);
    }
  }

  /** The UTC milliseconds of a wall-clock time given as `Date.UTC` of its fields. */
  toUtcMs(localMs: number): number {
    // Most days have one offset all day: one look-up per day; days with a change go by quarter hour.
    const day = Math.floor(localMs / DAY);
    let offset = this.days.get(day);
    if (offset === undefined) {
      const start = this.offsetForLocal(day * DAY);
      offset = start === this.offsetForLocal(day * DAY + DAY - QUARTER_HOUR) ? start : Number.NaN;
      if (this.days.size > 100_000) this.days.clear();
      this.days.set(day, offset);
    }
    if (!Number.isNaN(offset)) return localMs - offset;
    const bucket = Math.floor(localMs / QUARTER_HOUR);
    let q = this.quarters.get(bucket);
    if (q === undefined) {
      q = this.offsetForLocal(bucket * QUARTER_HOUR);
      if (this.quarters.size > 100_000) this.quarters.clear();
      this.quarters.set(bucket, q);
    }
    return localMs - q;
  }

  /** The zone's offset from UTC in milliseconds at instant `utcMs`. */
  offsetAt(utcMs: number): number {
    const p: Record<string, number> = {};
    for (const part of this.format.formatToParts(utcMs)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  }

  private offsetForLocal(localMs: number): number {
    const before = this.offsetAt(localMs - HALF_DAY);
    const after = this.offsetAt(localMs + HALF_DAY);
    const early = this.offsetAt(localMs - before) === before;
    const late = this.offsetAt(localMs - after) === after;
    if (early && late) return Math.max(before, after); // the earlier of two instants
    if (early) return before;
    if (late) return after;
    return before; // in a gap: the offset before it carries the time past the gap
  }
}
