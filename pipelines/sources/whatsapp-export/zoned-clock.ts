import { PipelineError } from '../../errors.ts';

const QUARTER_HOUR = 15 * 60_000;
const HALF_DAY = 12 * 60 * 60_000;

/**
 * Turns wall-clock times of one timezone into instants. Exports carry no offset, so a time is
 * read in the business timezone (or `--tz`). A time that happens twice when clocks go back
 * takes the earlier instant; one skipped when clocks go forward moves forward by the gap
 * (as JavaScript's Temporal does). Offsets are cached per quarter hour: a million lines of
 * one chat need a few hundred Intl look-ups.
 */
export class ZonedClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();

  constructor(readonly tz: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new PipelineError('PIPE_BAD_OPTION', `--tz "${tz}" is not an IANA timezone; use a name such as Asia/Hong_Kong or Asia/Seoul.`);
    }
  }

  /** The UTC milliseconds of a wall-clock time given as `Date.UTC` of its fields. */
  toUtcMs(localMs: number): number {
    const bucket = Math.floor(localMs / QUARTER_HOUR);
    let offset = this.cache.get(bucket);
    if (offset === undefined) {
      offset = this.offsetForLocal(localMs);
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(bucket, offset);
    }
    return localMs - offset;
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
