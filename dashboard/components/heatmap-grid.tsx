import { colourFor, gradient, textOn, type ScaleName } from '../lib/color-scale.ts';
import { useMediaQuery } from '../hooks/use-media-query.ts';
import { t, weekdayNames } from '../lib/i18n.ts';

/** One weekday-hour of the heatmap (weekday 1 = Monday). */
export interface HeatCell {
  readonly weekday: number;
  readonly hour: number;
  readonly value: number | null;
  readonly short?: boolean;
}

/**
 * The 7 x 24 weekday-by-hour grid with a colour scale and its legend. Every cell carries
 * its value in its label and title; hours short of staff get a red corner mark. Cells show
 * their number when `showValues` (agents), which stays readable at 24 columns.
 */
export function HeatmapGrid({ cells, scale, format, showValues = false, timezone, label }: {
  cells: readonly HeatCell[];
  scale: ScaleName;
  format: (v: number | null) => string;
  showValues?: boolean;
  timezone: string;
  label: string;
}) {
  const days = weekdayNames();
  const byKey = new Map(cells.map((c) => [`${c.weekday}:${c.hour}`, c]));
  const values = cells.map((c) => c.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const min = values.length ? Math.min(0, ...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const hours = Array.from({ length: 24 }, (_, h) => h);
  // On a phone the grid turns on its side: 7 weekday columns, 24 hour rows, no sideways scroll.
  const narrow = useMediaQuery('(max-width: 639px)');

  const renderCell = (weekday: number, h: number) => {
    const day = days[weekday - 1] ?? '';
    const cell = byKey.get(`${weekday}:${h}`);
    const value = cell?.value ?? null;
    const bg = colourFor(scale, value, min, max);
    const text = `${day} ${String(h).padStart(2, '0')}:00 · ${format(value)}${cell?.short ? ` · ${t('staffing.short')}` : ''}`;
    return (
      <div
        role="gridcell"
        key={`${weekday}:${h}`}
        data-testid="heatmap-cell"
        data-value={value ?? ''}
        data-short={cell?.short ? 'true' : undefined}
        aria-label={text}
        title={text}
        className="relative flex h-6 items-center justify-center rounded-[3px] text-[10px] font-medium tabular sm:h-8"
        style={{ background: bg, color: textOn(bg) }}
      >
        {showValues && value !== null && value > 0 ? Math.round(value) : ''}
        {cell?.short && <span aria-hidden="true" className="absolute right-0 top-0 h-0 w-0 border-l-[7px] border-t-[7px] border-l-transparent border-t-rose-600" />}
      </div>
    );
  };

  return (
    <figure className="print-break-avoid">
      {narrow ? (
        <div role="grid" aria-label={label} className="grid gap-[2px]" style={{ gridTemplateColumns: '2rem repeat(7, minmax(0, 1fr))' }} data-testid="heatmap">
          <div role="row" className="contents">
            <div role="columnheader" />
            {days.map((day) => (
              <div role="columnheader" key={day} className="pb-1 text-center text-xs text-gray-600">
                {day}
              </div>
            ))}
          </div>
          {hours.map((h) => (
            <div role="row" key={h} className="contents">
              <div role="rowheader" className="flex items-center text-[10px] text-gray-500 tabular">
                {String(h).padStart(2, '0')}
              </div>
              {days.map((_, i) => renderCell(i + 1, h))}
            </div>
          ))}
        </div>
      ) : (
        <div role="grid" aria-label={label} className="grid gap-[2px]" style={{ gridTemplateColumns: '2.75rem repeat(24, minmax(0, 1fr))' }} data-testid="heatmap">
          <div role="row" className="contents">
            <div role="columnheader" />
            {hours.map((h) => (
              <div role="columnheader" key={h} className="pb-1 text-center text-[10px] text-gray-500 tabular">
                {h}
              </div>
            ))}
          </div>
          {days.map((day, i) => (
            <div role="row" key={day} className="contents">
              <div role="rowheader" className="flex items-center pr-1 text-xs text-gray-600">
                {day}
              </div>
              {hours.map((h) => renderCell(i + 1, h))}
            </div>
          ))}
        </div>
      )}
      <figcaption className="mt-3 flex flex-wrap items-center gap-3 text-xs text-gray-600">
        <span>{t('staffing.legend')}</span>
        <span className="tabular">{format(min)}</span>
        <span aria-hidden="true" className="inline-block h-3 w-40 rounded" style={{ background: gradient(scale) }} />
        <span className="tabular">{format(max)}</span>
        {cells.some((c) => c.short) && (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="inline-block h-0 w-0 border-l-[8px] border-t-[8px] border-l-transparent border-t-rose-600" />
            {t('staffing.short')}
          </span>
        )}
        <span className="ml-auto">{t('common.timesIn', { tz: timezone })}</span>
      </figcaption>
    </figure>
  );
}
