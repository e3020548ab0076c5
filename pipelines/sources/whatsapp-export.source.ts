import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { PipelineError } from '../errors.ts';
import { fileCursorKey, listInputFiles } from '../landing-files.ts';
import { PhoneNormaliser } from '../phones.ts';
import type { Batch, QuarantinedRecord, RawValue, Source, SourceContext } from '../source.ts';
import { normaliseName, resolveBusinessNames } from './whatsapp-export/business-names.ts';
import { DATE_ORDERS, type DateOrder } from './whatsapp-export/date-order.ts';
import { parseExportFile, type ExportParseOptions } from './whatsapp-export/parse-export.ts';
import { ZonedClock } from './whatsapp-export/zoned-clock.ts';

/** Rows per batch: a bigger export lands in several batches, its cursor with the last one. */
const BATCH_ROWS = 50_000;

/** The export options of a run: `--business`, `--date-order`, `--tz`, checked. */
export function exportOptions(ctx: Pick<SourceContext, 'config' | 'options'>): ExportParseOptions {
  const order = ctx.options['date-order'];
  if (order !== undefined && !DATE_ORDERS.includes(order as DateOrder)) {
    throw new PipelineError('PIPE_BAD_OPTION', `--date-order "${order}" must be dmy, mdy or ymd (day/month/year, month/day/year, year/month/day).`);
  }
  return {
    businessNames: resolveBusinessNames(ctx.config, ctx.options.business),
    dateOrder: order as DateOrder | undefined,
    clock: new ZonedClock(ctx.options.tz ?? ctx.config.tz),
    phones: new PhoneNormaliser(ctx.config.region),
  };
}

/**
 * Exports are rewritten, not appended to, so a file is read whole whenever its content (or
 * the options that shape its rows) changed: the cursor is a hash of both. Staging dedupes the
 * messages a re-export repeats by their deterministic ids.
 */
function cursorValue(sha256: string, opts: ExportParseOptions): string {
  const shape = JSON.stringify([[...opts.businessNames.map(normaliseName)].sort(), opts.dateOrder ?? null, opts.clock.tz]);
  return `${sha256}:${createHash('sha1').update(shape).digest('hex').slice(0, 12)}`;
}

async function* readExports(ctx: SourceContext): AsyncGenerator<Batch> {
  const files = listInputFiles(ctx, 'exports', ['.txt']);
  if (files.length === 0) return;
  const opts = exportOptions(ctx);
  let rows: RawValue[][] = [];
  let quarantine: QuarantinedRecord[] = [];
  let counters: Record<string, number> = {};
  let cursors: Record<string, string> = {};
  let read = 0;
  const take = (): Batch => {
    const batch: Batch = { rows: { 'raw.whatsapp_export_messages': rows }, quarantine, read, cursors, counters };
    rows = [];
    quarantine = [];
    counters = {};
    cursors = {};
    read = 0;
    return batch;
  };
  const count = (name: string, n = 1) => {
    if (n !== 0) counters[name] = (counters[name] ?? 0) + n;
  };
  for (const file of files) {
    if (ctx.signal.aborted) break;
    const key = fileCursorKey(file);
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(file);
    } catch (err) {
      // No cursor: the file is tried again next run, once it can be read.
      quarantine.push({ location: file, reason: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, rawText: '' });
      count('files_quarantined');
      read++;
      continue;
    }
    const value = cursorValue(createHash('sha256').update(bytes).digest('hex'), opts);
    if (ctx.cursor(key) === value) {
      count('files_unchanged');
      continue;
    }
    const contentKey = `content:${value}`;
    if (ctx.cursor(contentKey) !== undefined || cursors[contentKey] !== undefined) {
      // The same bytes under another name (a copy): already loaded.
      count('files_already_loaded');
      cursors[key] = value;
      continue;
    }
    const parsed = parseExportFile(bytes, file, value.split(':')[0]!, opts);
    count('files');
    for (const [k, v] of Object.entries(parsed.counters)) count(k, v);
    if (parsed.counters.date_order_guessed) ctx.log.warn(`${file}: its dates read either way; took the layout's usual order. Pass --date-order if that is wrong.`);
    quarantine.push(...parsed.quarantine);
    read += parsed.read;
    for (let i = 0; i < parsed.rows.length; i += BATCH_ROWS) {
      for (const row of parsed.rows.slice(i, i + BATCH_ROWS)) rows.push(row);
      if (rows.length >= BATCH_ROWS && i + BATCH_ROWS < parsed.rows.length) yield take();
    }
    cursors[key] = value;
    cursors[contentKey] = file;
    if (rows.length >= BATCH_ROWS) yield take();
  }
  if (Object.keys(cursors).length > 0 || quarantine.length > 0) yield take();
}

/** WhatsApp "Export chat" .txt files from `landing/exports/` (or `--path`). */
export const whatsappExportSource: Source = {
  name: 'whatsapp-export',
  description: 'WhatsApp "Export chat" .txt files (Android and iOS, any locale) from landing/exports/; --business, --date-order, --tz',
  freshness: { table: 'staging.stg_export_messages', column: 'sent_at' },
  read: readExports,
};
