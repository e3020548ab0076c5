import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { mapRecord, profileForHeader, type MappingContext } from '../crm/column-mapping.ts';
import { loadCrmMapping } from '../crm/crm-mapping.ts';
import { parseCsv } from '../crm/csv-parser.ts';
import { SkuCatalog } from '../crm/sku-catalog.ts';
import { fileCursorKey, listInputFiles } from '../landing-files.ts';
import { PhoneNormaliser } from '../phones.ts';
import type { Batch, QuarantinedRecord, RawValue, Source, SourceContext } from '../source.ts';

/** What was read of an export file: exports are rewritten whole, so a changed file is read again. */
interface CsvCursor {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha1: string;
}

function parseCursor(text: string | undefined): CsvCursor | undefined {
  if (!text) return undefined;
  try {
    const c = JSON.parse(text) as CsvCursor;
    return typeof c.sha1 === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/** Decodes an export: UTF-8 (with or without BOM) or UTF-16 with its BOM (Excel "Unicode text"). */
export function decodeExport(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.toString('utf16le', 2);
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buf.toString('utf8');
}

/**
 * Salesforce / Zoho style CSV exports from `landing/crm/` (or `--path`): each file's header
 * picks a profile of `config/crm_mapping.json`, each record is mapped onto contacts, deals
 * or deal stage changes. One file is one batch; a file already read is skipped until its
 * content changes.
 */
export const crmCsvSource: Source = {
  name: 'crm-csv',
  description: 'Salesforce / Zoho style CRM exports (CSV: contacts, deals, stage history) from landing/crm/',
  freshness: { table: 'raw.crm_deals', column: 'modified_at', where: "source = 'crm-csv'" },
  read: readExports,
};

async function* readExports(ctx: SourceContext): AsyncGenerator<Batch> {
  const mapping = loadCrmMapping(ctx.config);
  const mctx: MappingContext = { mapping, tz: ctx.config.tz, phones: new PhoneNormaliser(ctx.config.region), skus: SkuCatalog.load(ctx.config) };
  for (const file of listInputFiles(ctx, 'crm', ['.csv'])) {
    if (ctx.signal.aborted) return;
    const key = fileCursorKey(file);
    const previous = parseCursor(ctx.cursor(key));
    const stat = fs.statSync(file);
    if (previous && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs) continue;
    const buf = fs.readFileSync(file);
    const cursor: CsvCursor = { size: stat.size, mtimeMs: stat.mtimeMs, sha1: createHash('sha1').update(buf).digest('hex') };
    if (previous && previous.sha1 === cursor.sha1) {
      yield { rows: {}, quarantine: [], read: 0, cursors: { [key]: JSON.stringify(cursor) } };
      continue;
    }
    yield fileBatch(file, decodeExport(buf), mctx, { [key]: JSON.stringify(cursor) });
  }
}

/** Maps every record of one export file into one batch. */
export function fileBatch(file: string, text: string, mctx: MappingContext, cursors: Record<string, string>): Batch {
  const csv = parseCsv(text);
  const quarantine: QuarantinedRecord[] = csv.errors.map((e) => ({ location: file, lineNo: e.lineNo, reason: e.reason, rawText: e.text }));
  const profile = profileForHeader(mctx.mapping.profiles, csv.header);
  if (!profile) {
    const known = mctx.mapping.profiles.map((p) => `${p.name} (${p.detect.join(', ')})`).join('; ');
    quarantine.push({
      location: file,
      lineNo: 1,
      reason: `the header of ${path.basename(file)} matches no export profile in crm_mapping.json; profiles and the columns they need: ${known}`,
      rawText: csv.header.join(csv.delimiter),
    });
    return { rows: {}, quarantine, read: csv.records.length + 1, cursors, counters: { unknown_files: 1 }, notes: [`${path.basename(file)}: header matches no export profile`] };
  }
  const rows: Record<string, RawValue[][]> = {};
  const counters: Record<string, number> = {};
  const notes: string[] = [];
  for (const rec of csv.records) {
    let fields = rec.fields;
    // Some exports end every line with a delimiter: empty extra fields are harmless.
    if (fields.length > csv.header.length && fields.slice(csv.header.length).every((f) => f.trim() === '')) fields = fields.slice(0, csv.header.length);
    if (fields.length !== csv.header.length) {
      quarantine.push({ location: file, lineNo: rec.lineNo, reason: `has ${fields.length} fields but the header has ${csv.header.length} (a stray delimiter or quote?)`, rawText: rec.text });
      continue;
    }
    const record: Record<string, string> = {};
    csv.header.forEach((h, i) => (record[h] = fields[i]!));
    const mapped = mapRecord(profile, record, { source: 'crm-csv', location: file, lineNo: rec.lineNo }, mctx);
    if ('reason' in mapped) {
      quarantine.push({ location: file, lineNo: rec.lineNo, recordId: mapped.recordId, reason: mapped.reason, rawText: rec.text });
      continue;
    }
    (rows[mapped.table] ??= []).push(mapped.row);
    for (const [k, v] of Object.entries(mapped.counters)) counters[k] = (counters[k] ?? 0) + v;
    for (const e of mapped.errors) if (notes.length < 5) notes.push(`${path.basename(file)} line ${rec.lineNo}: ${e}`);
  }
  return { rows, quarantine, read: csv.records.length, cursors, counters, notes };
}
