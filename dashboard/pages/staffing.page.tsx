import { Card } from '@tremor/react';
import { useEffect, useState } from 'react';
import { DataState } from '../components/data-state.tsx';
import { ErrorBlock } from '../components/error-block.tsx';
import { LoadingBlock } from '../components/loading-block.tsx';
import { HeatmapGrid, type HeatCell } from '../components/heatmap-grid.tsx';
import { KpiCard } from '../components/kpi-card.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Segmented } from '../components/segmented.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useBusinessTimezone } from '../hooks/use-health.ts';
import { qs } from '../lib/api.ts';
import type { ScaleName } from '../lib/color-scale.ts';
import { formatDuration, formatNumber, isNum } from '../lib/format.ts';
import { t, weekdayNames } from '../lib/i18n.ts';
import { addWeeks, lastCompleteWeek } from '../lib/iso-week.ts';
import { navigate, type Route } from '../lib/router.ts';
import type { MartAnswer, Row } from '../lib/types.ts';

type Mode = 'inbound' | 'median' | 'agents';
const MODES: readonly Mode[] = ['inbound', 'median', 'agents'];

const num = (v: unknown) => (isNum(v) ? v : null);

/** Average inbound messages per weekday-hour over the weeks of the hourly activity rows. */
function averageActivity(rows: readonly Row[]): HeatCell[] {
  const weeks = new Set(rows.map((r) => r.week)).size || 1;
  const sums = new Map<string, HeatCell>();
  for (const r of rows) {
    const key = `${r.local_weekday}:${r.local_hour}`;
    const prev = sums.get(key);
    sums.set(key, { weekday: Number(r.local_weekday), hour: Number(r.local_hour), value: (prev?.value ?? 0) + Number(r.inbound_messages ?? 0) });
  }
  return [...sums.values()].map((c) => ({ ...c, value: (c.value ?? 0) / weeks }));
}

/** The target and handling-time inputs; applying them puts them in the address and reloads the plan. */
function PlanInputs({ target, aht, mode }: { target: string; aht: string; mode: Mode }) {
  const [t1, setT1] = useState(target);
  const [a1, setA1] = useState(aht);
  useEffect(() => {
    setT1(target);
    setA1(aht);
  }, [target, aht]);
  const input = 'w-24 rounded-md border border-gray-300 px-2 py-1.5 text-sm tabular focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-200';
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        navigate('/staffing', { mode, target_seconds: t1 || undefined, aht_seconds: a1 || undefined }, true);
      }}
    >
      <label className="text-xs text-gray-600">
        {t('staffing.target')}
        <input className={`${input} mt-1 block`} type="number" min={1} max={86400} inputMode="numeric" value={t1} placeholder="180" onChange={(e) => setT1(e.target.value)} name="target_seconds" />
      </label>
      <label className="text-xs text-gray-600">
        {t('staffing.aht')}
        <input className={`${input} mt-1 block`} type="number" min={1} max={86400} inputMode="numeric" value={a1} placeholder={t('staffing.ahtMeasured')} onChange={(e) => setA1(e.target.value)} name="aht_seconds" />
      </label>
      <button type="submit" className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-400">
        {t('staffing.apply')}
      </button>
    </form>
  );
}

/** The plan in three numbers: hours short of staff, the busiest hour, agent-hours a week. */
function StaffingSummary({ rows }: { rows: readonly Row[] }) {
  const days = weekdayNames();
  const first = rows[0];
    const short = rows.filter((r) => r.is_short === true).length;
  const busiest = [...rows].sort((a, b) => Number(b.avg_inbound_messages ?? 0) - Number(a.avg_inbound_messages ?? 0))[0];
  const agentHours = rows.reduce((s, r) => s + Number(r.agents_needed ?? 0), 0);
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
      <KpiCard title={t('staffing.short')} value={formatNumber(short, 0)} state={short > 0 ? 'missed' : 'met'} footer={short > 0 ? t('staffing.shortHours', { n: short }) : t('staffing.noShort')} href="#/staffing?mode=agents" />
      <KpiCard
        title={t('staffing.peak')}
        value={busiest ? t('staffing.cell', { day: days[Number(busiest.local_weekday) - 1] ?? '', hour: String(busiest.local_hour).padStart(2, '0') }) : '—'}
        footer={busiest ? `${formatNumber(busiest.avg_inbound_messages, 1)} ${t('keywords.messages').toLowerCase()} ${t('staffing.perHour')}` : undefined}
      />
      <KpiCard title={t('staffing.totalAgentHours')} value={formatNumber(agentHours, 0)} footer={first ? t('staffing.params', { target: formatDuration(first.target_seconds), aht: `${formatDuration(first.aht_seconds)}${first.aht_source === 'measured' ? ` (${t('staffing.ahtMeasured')})` : ''}` }) : undefined} />
    </div>
  );
}

/** Staffing: the weekday x hour heatmap of volume, median response or Erlang C agents, short hours marked. */
export default function StaffingPage({ route }: { route: Route }) {
  const tz = useBusinessTimezone();
  const modeParam = route.query.get('mode') as Mode | null;
  const mode: Mode = modeParam && MODES.includes(modeParam) ? modeParam : 'inbound';
  const target = route.query.get('target_seconds') ?? '';
  const aht = route.query.get('aht_seconds') ?? '';
  const staffing = useApi<MartAnswer>(`/api/staffing${qs({ target_seconds: target, aht_seconds: aht })}`);
  const first = staffing.data?.rows[0];
  // The weeks the plan averaged; without a plan (not built, or a manager's token), the last four complete weeks.
  const lastWeek = lastCompleteWeek(tz);
  const window =
    first && typeof first.from_week === 'string' && typeof first.to_week === 'string'
      ? { from: first.from_week, to: first.to_week }
      : staffing.error
        ? { from: addWeeks(lastWeek, -3), to: lastWeek }
        : null;
  const responses = useApi<MartAnswer>(mode === 'median' && window ? `/api/metrics/response-heatmap${qs({ from_week: window.from, to_week: window.to })}` : null);
  // Inbound volume comes with the plan; without one, from the hourly activity mart.
  const activity = useApi<MartAnswer>(mode === 'inbound' && staffing.error && window ? `/api/metrics/heatmap${qs({ from_week: window.from, to_week: window.to })}` : null);

  const scale: ScaleName = mode === 'median' ? 'heat' : mode === 'agents' ? 'violet' : 'blue';
  const format = mode === 'median' ? (v: number | null) => formatDuration(v) : mode === 'agents' ? (v: number | null) => formatNumber(v, 0) : (v: number | null) => formatNumber(v, 1);

  const cellsFrom = (rows: readonly Row[], column: string): HeatCell[] =>
    rows.map((r) => ({ weekday: Number(r.local_weekday), hour: Number(r.local_hour), value: num(r[column]), short: mode === 'agents' && r.is_short === true }));

  return (
    <div>
      <PageHeader title={t('staffing.title')} subtitle={window ? `${t('staffing.subtitle')} · ${window.from} – ${window.to}` : t('staffing.subtitle')}>
        <Segmented<Mode>
          label={t('staffing.mode')}
          value={mode}
          onChange={(m) => navigate('/staffing', { mode: m, target_seconds: target || undefined, aht_seconds: aht || undefined }, true)}
          options={[
            { value: 'inbound', label: t('staffing.inbound') },
            { value: 'median', label: t('staffing.median') },
            { value: 'agents', label: t('staffing.agents') },
          ]}
        />
      </PageHeader>

      <div className="mb-4">
        {staffing.data ? (
          <StaffingSummary rows={staffing.data.rows} />
        ) : staffing.error ? (
          <ErrorBlock error={staffing.error} onRetry={staffing.reload} height={168} />
        ) : (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            {[0, 1, 2].map((i) => (
              <LoadingBlock key={i} height={168} />
            ))}
          </div>
        )}
      </div>

      <Card>
        <div className="no-print mb-4">
          <PlanInputs target={target} aht={aht} mode={mode} />
        </div>
        {mode === 'median' ? (
          <DataState state={responses} height={300}>
            {(d) => <HeatmapGrid cells={cellsFrom(d.rows, 'median_response_seconds')} scale={scale} format={format} timezone={tz} label={t('staffing.median')} />}
          </DataState>
        ) : mode === 'inbound' && staffing.error ? (
          <DataState state={activity} height={300} isEmpty={(d) => d.rows.length === 0}>
            {(d) => <HeatmapGrid cells={averageActivity(d.rows)} scale={scale} format={format} timezone={tz} label={t('staffing.inbound')} />}
          </DataState>
        ) : (
          <DataState state={staffing} height={300} isEmpty={(d) => d.rows.length === 0}>
            {(d) => (
              <HeatmapGrid
                cells={cellsFrom(d.rows, mode === 'agents' ? 'agents_needed' : 'avg_inbound_messages')}
                scale={scale}
                format={format}
                showValues={mode === 'agents'}
                timezone={tz}
                label={mode === 'agents' ? t('staffing.agents') : t('staffing.inbound')}
              />
            )}
          </DataState>
        )}
        {mode === 'agents' && <p className="mt-2 text-xs text-gray-500">{t('staffing.shortHint')}</p>}
      </Card>
    </div>
  );
}
