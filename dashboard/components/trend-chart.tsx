import { LineChart } from '@tremor/react';
import { t } from '../lib/i18n.ts';
import type { Row } from '../lib/types.ts';

/**
 * A weekly trend of one figure with its target drawn as a flat line, so a week above or
 * below the bar is plain to see.
 */
export function TrendChart({ rows, column, label, title, target, format, color = 'blue', height = 'h-56' }: {
  rows: readonly Row[];
  column: string;
  label: string;
  /** The heading above the chart (default: the series label). */
  title?: string;
  target?: number;
  format: (v: number) => string;
  color?: string;
  height?: string;
}) {
  const targetLabel = t('common.target');
  const data = rows.map((r) => {
    const v = r[column];
    const point: Record<string, unknown> = { week: String(r.week), [label]: typeof v === 'number' ? v : null };
    if (target !== undefined) point[targetLabel] = target;
    return point;
  });
  return (
    <div className="print-break-avoid" data-testid={`trend-${column}`}>
      <p className="mb-1 text-sm font-medium text-gray-700">{title ?? label}</p>
      <LineChart
        className={height}
        data={data}
        index="week"
        categories={target !== undefined ? [label, targetLabel] : [label]}
        colors={target !== undefined ? [color, 'rose'] : [color]}
        valueFormatter={(v: number) => format(v)}
        yAxisWidth={64}
        connectNulls
        showAnimation={false}
      />
    </div>
  );
}
