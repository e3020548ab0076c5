import { qs } from '../lib/api.ts';
import type { MartAnswer, ReportKind, Row } from '../lib/types.ts';
import { useApi, type ApiState } from './use-api.ts';

/** `/api/reports/:kind/weeks`: a report's rows for the weeks up to `toWeek`, and the weeks it has. */
export interface ReportWeeks extends MartAnswer<Row> {
  readonly kind: ReportKind;
  readonly from_week: string;
  readonly to_week: string;
  readonly available_weeks: readonly string[];
  readonly last_complete_week: string;
}

/** Loads a report over `weeks` weeks ending at `toWeek` (default: the last complete week). */
export function useReportWeeks(kind: ReportKind, toWeek?: string, weeks = 12): ApiState<ReportWeeks> {
  return useApi<ReportWeeks>(`/api/reports/${kind}/weeks${qs({ weeks, to_week: toWeek })}`);
}

/** The row of `week` and the row of the week before it (by position among the rows). */
export function weekAndPrevious(answer: ReportWeeks, week?: string): { current: Row | undefined; previous: Row | undefined; week: string | undefined } {
  const rows = answer.rows;
  const target = week ?? answer.to_week;
  let i = rows.findIndex((r) => r.week === target);
  if (i < 0) i = rows.length - 1;
  const current = rows[i];
  return { current, previous: i > 0 ? rows[i - 1] : undefined, week: current ? String(current.week) : undefined };
}
