import type { MetricUnit, ReportData, ReportMetric, ReportTable } from './report.ts';

/** A duration as people say it: 45 s, 2 min 29 s, 3 h 5 min, 2 d 4 h. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(Math.abs(seconds));
  const sign = seconds < 0 ? '-' : '';
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${sign}${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3600) ? ` ${Math.floor((s % 86_400) / 3600)} h` : ''}`;
}

/** A share as a percentage with one decimal: 0.792 -> 79.2%. */
export function formatShare(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '–' : `${(share * 100).toFixed(1)}%`;
}

/** A value in its unit. */
export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null) return '–';
  if (unit === 'seconds') return formatDuration(value);
  if (unit === 'share') return formatShare(value);
  if (unit === 'usd') return formatUsd(value);
  if (unit === 'days') return formatDays(value);
  return Math.round(value).toLocaleString('en-US');
}

/** US dollars: cents from 1 dollar up (1,234.50 USD), four decimals below (0.0732 USD). */
export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return '–';
  const digits = Math.abs(usd) >= 1 || usd === 0 ? 2 : 4;
  return `${usd.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} USD`;
}

/** Days with one decimal: 2.4 d. */
export function formatDays(days: number | null): string {
  return days === null || !Number.isFinite(days) ? '–' : `${days.toFixed(1)} d`;
}

/** A week-on-week change with its sign: +25, -12 s, +1.3 pts. */
export function formatChange(change: number | null, unit: MetricUnit): string {
  if (change === null || !Number.isFinite(change)) return '–';
  const sign = change > 0 ? '+' : change < 0 ? '-' : '±';
  if (unit === 'share') return `${sign}${Math.abs(change * 100).toFixed(1)} pts`;
  if (unit === 'seconds') return `${sign}${formatDuration(Math.abs(change))}`;
  if (unit === 'usd') return `${sign}${formatUsd(Math.abs(change))}`;
  if (unit === 'days') return `${sign}${formatDays(Math.abs(change))}`;
  return `${sign}${Math.abs(Math.round(change)).toLocaleString('en-US')}`;
}

/** The target column of a metric: "3 min (met)" / "85.0% (missed)". */
export function formatTarget(m: ReportMetric): string {
  if (m.target === null) return '';
  const verdict = m.meets_target === null ? '' : m.meets_target ? ' (met)' : ' (missed)';
  return `${formatValue(m.target, m.unit)}${verdict}`;
}

/** Escapes a Markdown table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The metrics as a Markdown table: this week, target, last week, change. */
export function metricsTable(metrics: readonly ReportMetric[]): string {
  return [
    '| Measure | This week | Target | Last week | Change |',
    '|---|---:|---:|---:|---:|',
    ...metrics.map((m) => `| ${cell(m.label)} | ${formatValue(m.value, m.unit)} | ${formatTarget(m)} | ${formatValue(m.previous, m.unit)} | ${formatChange(m.change, m.unit)} |`),
  ].join('\n');
}

/** A report table as Markdown. */
export function reportTable(table: ReportTable): string {
  const fmt = (v: unknown, unit: string | undefined): string => {
    if (v === null || v === undefined) return '–';
    if (unit === 'boolean') return v ? 'yes' : 'no';
    if (unit === 'seconds' || unit === 'share' || unit === 'count' || unit === 'usd' || unit === 'days') return formatValue(Number(v), unit);
    return cell(String(v));
  };
  return [
    `| ${table.columns.map((c) => cell(c.label)).join(' | ')} |`,
    `|${table.columns.map((c) => (c.unit && c.unit !== 'text' && c.unit !== 'boolean' ? '---:' : '---')).join('|')}|`,
    ...table.rows.map((r) => `| ${table.columns.map((c) => fmt(r[c.key], c.unit)).join(' | ')} |`),
  ].join('\n');
}

/** A week's dates for a title: 16–22 Nov 2026. */
export function weekDates(data: Pick<ReportData, 'week_start' | 'week_end'>): string {
  const f = (d: string, withYear: boolean) =>
    new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), timeZone: 'UTC' });
  return `${f(data.week_start, false)} – ${f(data.week_end, true)}`;
}

/** A Markdown rendering any report can use: title, metrics, tables, notes. */
export function genericMarkdown(data: ReportData, intro = ''): string {
  return [
    `# ${data.title} — week ${data.week} (${weekDates(data)})`,
    ...(intro ? ['', intro] : []),
    '',
    metricsTable(data.metrics),
    ...data.tables.flatMap((t) => ['', `## ${t.title}`, '', t.rows.length ? reportTable(t) : '_None this week._']),
    '',
    '## How these are measured',
    '',
    ...data.notes.map((n) => `- ${n}`),
    '',
    `_Source: \`${data.source}\`, week ${data.week}._`,
    '',
  ].join('\n');
}
