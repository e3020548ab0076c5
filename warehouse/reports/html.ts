import { formatChange, formatTarget, formatValue, weekDates } from './format.ts';
import type { ReportData, ReportTable } from './report.ts';

const escape = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

function cellText(v: unknown, unit: string | undefined): string {
  if (v === null || v === undefined) return '–';
  if (unit === 'boolean') return v ? 'yes' : 'no';
  if (unit === 'seconds' || unit === 'share' || unit === 'count' || unit === 'usd' || unit === 'days') return formatValue(Number(v), unit);
  return String(v);
}

function tableHtml(table: ReportTable): string {
  if (table.rows.length === 0) return '<p><em>None this week.</em></p>';
  const numeric = (unit: string | undefined) => unit !== undefined && unit !== 'text' && unit !== 'boolean';
  const head = table.columns.map((c) => `<th${numeric(c.unit) ? ' class="n"' : ''}>${escape(c.label)}</th>`).join('');
  const body = table.rows
    .map((r) => `<tr>${table.columns.map((c) => `<td${numeric(c.unit) ? ' class="n"' : ''}>${escape(cellText(r[c.key], c.unit))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * A weekly report as one self-contained HTML page to print or mail: no scripts, no external
 * fonts or styles, every value escaped.
 */
export function reportHtml(data: ReportData): string {
  const title = `${data.title} — week ${data.week} (${weekDates(data)})`;
  const metrics = data.metrics
    .map((m) => {
      const verdict = m.meets_target === null ? '' : m.meets_target ? ' met' : ' missed';
      return `<tr class="${verdict.trim()}"><td>${escape(m.label)}</td><td class="n">${escape(formatValue(m.value, m.unit))}</td><td class="n">${escape(formatTarget(m))}</td><td class="n">${escape(formatValue(m.previous, m.unit))}</td><td class="n">${escape(formatChange(m.change, m.unit))}</td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111827; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.3rem 0.7rem; text-align: left; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.missed td:nth-child(3) { color: #b91c1c; }
tr.met td:nth-child(3) { color: #047857; }
@media print { body { margin: 0.5cm; } }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<table><thead><tr><th>Measure</th><th class="n">This week</th><th class="n">Target</th><th class="n">Last week</th><th class="n">Change</th></tr></thead><tbody>
${metrics}
</tbody></table>
${data.tables.map((t) => `<h2>${escape(t.title)}</h2>\n${tableHtml(t)}`).join('\n')}
<h2>How these are measured</h2>
<ul>
${data.notes.map((n) => `<li>${escape(n)}</li>`).join('\n')}
</ul>
<p><small>Source: <code>${escape(data.source)}</code>, week ${escape(data.week)}.</small></p>
</body>
</html>
`;
}
