import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/config.ts';

/** Descriptions of tables and their columns, read from docs/metrics.md. */
export type MetricsDocs = Map<string, { description: string | null; columns: Map<string, string> }>;

/** Where the mart documentation lives. */
export const METRICS_DOC = path.join(PROJECT_ROOT, 'docs', 'metrics.md');

const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
const bare = (s: string) => s.replace(/[`*]/g, '').trim();

/**
 * Reads table and column descriptions from Markdown: a heading that names a table
 * (`marts.fct_messages`) starts its section; its first paragraph describes the table; a
 * Markdown table in it (first column the column name, the `description`/`meaning` column or
 * else the last one the text) or bullets (`- \`col\`: text`) describe columns.
 */
export function parseMetricsDocs(markdown: string): MetricsDocs {
  const docs: MetricsDocs = new Map();
  let current: { description: string | null; columns: Map<string, string> } | undefined;
  let header: { name: number; text: number } | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const table = /\b(marts|staging)\.([a-z0-9_]+)/.exec(heading[1]!);
      current = table ? { description: null, columns: new Map() } : undefined;
      if (table) docs.set(`${table[1]}.${table[2]}`, current!);
      header = undefined;
      continue;
    }
    if (!current) continue;
    if (line.trim().startsWith('|')) {
      const row = cells(line);
      if (row.every((c) => /^:?-{2,}:?$/.test(c))) continue;
      if (!header) {
        const lower = row.map((c) => bare(c).toLowerCase());
        const name = Math.max(0, lower.findIndex((c) => /^(column|field|name)$/.test(c)));
        const text = lower.findIndex((c) => /description|meaning|definition/.test(c));
        header = { name, text: text >= 0 ? text : row.length - 1 };
        continue;
      }
      const col = bare(row[header.name] ?? '');
      const text = (row[header.text] ?? '').trim();
      if (/^[a-z0-9_]+$/i.test(col) && text) current.columns.set(col, text);
      continue;
    }
    header = undefined;
    const bullet = /^\s*[-*]\s+`([a-z0-9_]+)`\s*[:—–-]\s+(.+)$/i.exec(line);
    if (bullet) current.columns.set(bullet[1]!, bullet[2]!.trim());
    else if (current.description === null && line.trim() !== '' && current.columns.size === 0) current.description = line.trim();
  }
  return docs;
}

/** The docs of `docs/metrics.md`, or none when the file is missing. */
export function readMetricsDocs(file = METRICS_DOC): MetricsDocs {
  try {
    return parseMetricsDocs(fs.readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
}
