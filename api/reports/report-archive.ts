import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../../warehouse/db.ts';
import { toCsv } from '../csv.ts';
import { isValidWeek } from '../../warehouse/reports/iso-week.ts';
import { REPORT_KINDS, type ReportKind, type ReportRenderers } from './report-registry.ts';

/** The formats each archived report is written in. */
export const ARCHIVE_FORMATS = ['md', 'csv', 'html'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** A file name in the archive: `<kind>.<format>`. */
export const ARCHIVE_FILE_PATTERN = `^(${REPORT_KINDS.join('|')})\\.(${ARCHIVE_FORMATS.join('|')})$`;

/** What writing one week's archive did. */
export interface ArchiveResult {
  readonly week: string;
  readonly dir: string;
  readonly written: string[];
  /** Kinds with no renderer registered, or whose renderer failed (with the reason). */
  readonly missing: { kind: ReportKind; reason: string }[];
}

/** One archived week and its files. */
export interface ArchivedWeek {
  readonly week: string;
  readonly files: { name: string; kind: string; format: string; bytes: number; written_at: Date }[];
}

/** The archive folder: `<data folder>/reports`. */
export function archiveRoot(dataDir: string): string {
  return path.join(dataDir, 'reports');
}

/**
 * Writes every registered report for `week` into `<root>/<week>/<kind>.{md,csv,html}`. Each
 * file is written to a temp name and renamed, so a reader never sees half a report. A
 * renderer that fails leaves that kind out (and says why) without stopping the others.
 */
export async function writeReportArchive(wh: Warehouse, week: string, renderers: ReportRenderers, root: string): Promise<ArchiveResult> {
  if (!isValidWeek(week)) throw new Error(`writeReportArchive: "${week}" is not an ISO week such as 2026-W47`);
  const dir = path.join(root, week);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const missing: ArchiveResult['missing'] = [];
  for (const kind of REPORT_KINDS) {
    const render = renderers[kind];
    if (!render) {
      missing.push({ kind, reason: 'no renderer registered' });
      continue;
    }
    let report;
    try {
      report = await render(wh, week);
    } catch (err) {
      missing.push({ kind, reason: (err as Error).message ?? String(err) });
      continue;
    }
    const contents: Record<ArchiveFormat, string> = { md: report.markdown, csv: toCsv(report.csv.columns, report.csv.rows), html: report.html };
    for (const format of ARCHIVE_FORMATS) {
      const file = path.join(dir, `${kind}.${format}`);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, contents[format]);
      fs.renameSync(tmp, file);
      written.push(file);
    }
  }
  return { week, dir, written, missing };
}

/** Every archived week, newest first, with its files. */
export function listArchive(root: string): ArchivedWeek[] {
  if (!fs.existsSync(root)) return [];
  const pattern = new RegExp(ARCHIVE_FILE_PATTERN);
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isValidWeek(d.name))
    .map((d) => ({
      week: d.name,
      files: fs
        .readdirSync(path.join(root, d.name))
        .filter((f) => pattern.test(f))
        .sort()
        .map((name) => {
          const stat = fs.statSync(path.join(root, d.name, name));
          const [, kind, format] = pattern.exec(name)!;
          return { name, kind: kind!, format: format!, bytes: stat.size, written_at: stat.mtime };
        }),
    }))
    .sort((a, b) => b.week.localeCompare(a.week));
}
