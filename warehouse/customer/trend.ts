import { linearRegression } from 'simple-statistics';

/**
 * The least-squares slope of weekly counts listed oldest first (interactions per week,
 * per week): negative when a customer is writing less. Null with fewer than two weeks.
 */
export function weeklyTrend(counts: readonly number[]): number | null {
  if (counts.length < 2) return null;
  const { m } = linearRegression(counts.map((y, x) => [x, y]));
  return Math.round(m * 1e6) / 1e6;
}
