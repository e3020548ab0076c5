import type { Warehouse } from '../db.ts';
import { WarehouseError } from '../errors.ts';
import { parseIsoWeek } from './iso-week.ts';
import type { MetricUnit, ReportMetric } from './report.ts';

/** A row of a weekly report mart. */
export type WeekRow = Record<string, unknown>;

/**
 * This week's and last week's rows of a weekly report mart (`marts.rpt_*`, keyed by
 * `week` with a `week_start` date), or a WH_REPORT_NO_DATA error that says what to do.
 */
export async function loadWeekRows(wh: Warehouse, table: string, week: string, what: string): Promise<{ row: WeekRow; previous: WeekRow | undefined }> {
  const parsed = parseIsoWeek(week);
  if (!parsed) throw new WarehouseError('WH_REPORT_NO_DATA', `"${week}" is not an ISO week; write it like 2026-W47.`, { httpStatus: 400, exitCode: 2 });
  const name = table.split('.')[1]!;
  const built = await wh.query(`select 1 from duckdb_tables() where schema_name = 'marts' and table_name = $1`, [name]);
  if (built.length === 0) throw new WarehouseError('WH_REPORT_NO_DATA', `The ${what} marts have not been built yet; run \`parley build\` first.`, { httpStatus: 404 });
  const rows = await wh.query<WeekRow>(
    `select * replace (cast(week_start as varchar) as week_start, cast(week_end as varchar) as week_end) from ${table} where week_start in (cast($1 as date), cast($1 as date) - 7) order by week_start`,
    [parsed.start],
  );
  const row = rows.find((r) => r.week === week);
  if (!row) {
    const [range] = await wh.query<{ first: string | null; last: string | null }>(`select min(week) as first, max(week) as last from ${table}`);
    const covered = range?.first ? ` (the data covers ${range.first} to ${range.last})` : ' (there is no data yet)';
    throw new WarehouseError('WH_REPORT_NO_DATA', `No ${what} data for week ${week}${covered}.`, { httpStatus: 404 });
  }
  return { row, previous: rows.find((r) => r.week !== week) };
}

/** A number from a row (null stays null). */
export function num(row: WeekRow | undefined, key: string): number | null {
  const v = row?.[key];
  return v === null || v === undefined ? null : Number(v);
}

/** A report metric from this week's and last week's rows, with an optional target. */
export function weekMetric(
  key: string,
  label: string,
  unit: MetricUnit,
  row: WeekRow,
  previous: WeekRow | undefined,
  target: { value: number; better: 'lower' | 'higher' } | null = null,
): ReportMetric {
  const value = num(row, key);
  const prev = num(previous, key);
  return {
    key,
    label,
    unit,
    value,
    target: target?.value ?? null,
    better: target?.better ?? null,
    previous: prev,
    change: value !== null && prev !== null ? value - prev : null,
    meets_target: target && value !== null ? (target.better === 'lower' ? value <= target.value : value >= target.value) : null,
  };
}
