import { describe, expect, it } from 'vitest';
import { formatByColumn, formatCurrency, formatDuration, formatLocalDate, formatLocalTime, formatPercent, formatPoints, formatSigned } from '../../dashboard/lib/format.ts';

describe('dashboard formatting', () => {
  it.each([
    [0, '0s'],
    [45.4, '45s'],
    [59.6, '1m 00s'],
    [155, '2m 35s'],
    [180, '3m 00s'],
    [3600, '1h 00m'],
    [3_900, '1h 05m'],
    [93_600 + 3_600 * 3, '1d 5h'],
    [-11, '-11s'],
  ])('writes %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds, 'en')).toBe(text);
  });

  it('writes durations with Korean units under ?lang=ko', () => {
    expect(formatDuration(155, 'ko')).toBe('2분 35초');
  });

  it('shows a missing value as a dash rather than zero', () => {
    expect(formatDuration(null, 'en')).toBe('—');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatCurrency(Number.NaN)).toBe('—');
  });

  it('writes shares as percentages and their changes as points', () => {
    expect(formatPercent(0.846)).toBe('84.6%');
    expect(formatPercent(0.85)).toBe('85%');
    expect(formatPoints(0.029)).toBe('+2.9 pp');
    expect(formatPoints(-0.1)).toBe('-10 pp');
  });

  it('keeps four decimals for amounts under a dollar', () => {
    expect(formatCurrency(1.2)).toBe('$1.20');
    expect(formatCurrency(0.0083)).toBe('$0.0083');
    expect(formatCurrency(1234.5)).toBe('$1,234.50');
  });

  it('signs changes and leaves zero unsigned', () => {
    expect(formatSigned(4)).toBe('+4');
    expect(formatSigned(-4)).toBe('-4');
    expect(formatSigned(0)).toBe('0');
  });

  it('formats generic report columns by their unit suffix', () => {
    expect(formatByColumn('median_response_seconds', 155)).toBe('2m 35s');
    expect(formatByColumn('median_response_seconds_change', -11)).toBe('-11s');
    expect(formatByColumn('resolution_rate', 0.811)).toBe('81.1%');
    expect(formatByColumn('resolution_target', 0.85)).toBe('85%');
    expect(formatByColumn('share_within_target_change', 0.045)).toBe('+4.5 pp');
    expect(formatByColumn('message_cost_usd', 12.5)).toBe('$12.50');
    expect(formatByColumn('cost_per_acquisition', 1.2)).toBe('$1.20');
    expect(formatByColumn('conversations_change', -4)).toBe('-4');
    expect(formatByColumn('agents_needing_training_names', ['Ivan Ho', 'Mandy Lau'])).toBe('Ivan Ho, Mandy Lau');
    expect(formatByColumn('needs_training', true)).toBe('yes');
    expect(formatByColumn('is_healthy', false)).toBe('no');
    expect(formatByColumn('week', '2026-W47')).toBe('2026-W47');
  });

  it('shows times in the business timezone, with the zone', () => {
    // 16:30 UTC is 00:30 the next day in Hong Kong.
    expect(formatLocalDate('2026-11-22T16:30:00Z', 'Asia/Hong_Kong')).toBe('Nov 23, 2026');
    expect(formatLocalDate('2026-11-22T16:30:00Z', 'UTC')).toBe('Nov 22, 2026');
    expect(formatLocalTime('2026-11-22T16:30:00Z', 'Asia/Hong_Kong')).toBe('Nov 23, 2026, 00:30 GMT+8');
  });
});
