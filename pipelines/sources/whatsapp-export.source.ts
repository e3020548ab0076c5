import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { fileCursorKey, listInputFiles } from '../landing-files.ts';
import type { Batch, QuarantinedRecord, RawValue, Source, SourceContext } from '../source.ts';
import { chatIdOf, titleFromPath } from './whatsapp-export/chat-identity.ts';
import { normaliseName, resolveBusinessNames } from './whatsapp-export/business-names.ts';
import { parseExportFile, type ExportParseOptions, type ParsedExportFile } from './whatsapp-export/parse-export.ts';
import { explicitOptions, ExportSettings, optionsKey, storedOptions, type ReadOptions } from './whatsapp-export/read-options.ts';

/** Rows per batch: a bigger export lands in several batches, its cursor with the last one. */
const BATCH_ROWS = 50_000;

/** A file's cursor: the hash of the content read, the options given for it, and a hash of everything that shaped its rows. */
interface ExportFileCursor {
  readonly sha256: string;
  readonly options: ReadOptions;
  readonly shape: string;
}

function parseCursor(value: string | undefined): ExportFileCursor | undefined {
  const c = parseJson(value) as { sha256?: unknown; options?: unknown; shape?: unknown } | undefined;
  return c && typeof c.sha256 === 'string' ? { sha256: c.sha256, options: storedOptions(c.options), shape: String(c.shape) } : undefined;
}

/** What shapes a file's rows besides its bytes: business names, date order, timezone. A change reads the file again. */
function shapeOf(opts: ExportParseOptions): string {
  const shape = JSON.stringify([[...opts.businessNames.map(normaliseName)].sort(), opts.dateOrder ?? null, opts.clock.tz]);
  return createHash('sha1').update(shape).digest('hex').slice(0, 12);
}

function parseJson(value: string | undefined): unknown {
  try {
    return value === undefined ? undefined : JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * Reads the export files that are new or changed. Exports are rewritten, not appended to, so
 * a changed file is read whole (its cursor is a hash of its content) and staging dedupes the
 * messages it repeats by their deterministic ids. Options given on the command line stick to
 * the file and its chat (cursors `file:…` and `chat:…`); a copy of content already loaded
 * under another name is skipped (cursor `content:…`).
 */
async function* readExports(ctx: SourceContext): AsyncGenerator<Batch> {
  const files = listInputFiles(ctx, 'exports', ['.txt']);
  const run = explicitOptions(ctx.options);
  if (files.length === 0) return;
  const settings = new ExportSettings(ctx.config);
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
  const cursor = (key: string) => cursors[key] ?? ctx.cursor(key);
  const chatOptions = (chatId: string | undefined) => (chatId === undefined ? {} : storedOptions(parseJson(cursor(`chat:${chatId}`))));

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
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const stored = parseCursor(cursor(key));
    const titled = titleFromPath(file);
    // Explicit options of this run win, then those stuck to the chat, then those stuck to the file.
    let options: ReadOptions = { ...stored?.options, ...chatOptions(titled === undefined ? undefined : chatIdOf(titled)), ...run };
    let parseOptions = settings.for(options);
    if (stored && stored.sha256 === sha256 && stored.shape === shapeOf(parseOptions)) {
      count('files_unchanged');
      continue;
    }
    if (Object.keys(run).length === 0 && cursor(`content:${sha256}`) !== undefined && stored?.sha256 !== sha256) {
      // The same bytes under another name (a copy): already loaded.
      count('files_already_loaded');
      cursors[key] = JSON.stringify({ sha256, options, shape: shapeOf(parseOptions) });
      continue;
    }
    let parsed: ParsedExportFile = parseExportFile(bytes, file, sha256, parseOptions);
    if (titled === undefined && parsed.chatId !== undefined) {
      // A chat named by its people: its stuck options are known only now.
      const again = { ...options, ...chatOptions(parsed.chatId), ...run };
      if (optionsKey(again) !== optionsKey(options)) {
        options = again;
        parseOptions = settings.for(options);
        parsed = parseExportFile(bytes, file, sha256, parseOptions);
      }
    }
    count('files_read');
    for (const [k, v] of Object.entries(parsed.counters)) count(k, v);
    if (parsed.counters.date_order_guessed) ctx.log.warn(`${file}: its dates read either way; took the layout's usual order. Pass --date-order if that is wrong.`);
    quarantine.push(...parsed.quarantine);
    read += parsed.read;
    for (let i = 0; i < parsed.rows.length; i += BATCH_ROWS) {
      for (const row of parsed.rows.slice(i, i + BATCH_ROWS)) rows.push(row);
      if (rows.length >= BATCH_ROWS && i + BATCH_ROWS < parsed.rows.length) yield take();
    }
    cursors[key] = JSON.stringify({ sha256, options, shape: shapeOf(parseOptions) });
    cursors[`content:${sha256}`] = file;
    if (parsed.chatId !== undefined && Object.keys(options).length > 0) cursors[`chat:${parsed.chatId}`] = optionsKey(options);
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
  checkOptions(options, config) {
    if (explicitOptions(options).business === undefined) resolveBusinessNames(config);
  },
};
