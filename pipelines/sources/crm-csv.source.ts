import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { appendRows, columnTypes } from '../../warehouse/appender.ts';
import { mapRecord, profileForHeader, type MappingContext } from '../crm/column-mapping.ts';
import { loadCrmMapping, type CsvProfile } from '../crm/crm-mapping.ts';
import { CsvStream, MAX_RECORD_CHARS, type CsvError, type CsvRecord } from '../crm/csv-parser.ts';
import { SkuCatalog } from '../crm/sku-catalog.ts';
import { fileCursorKey, listInputFiles } from '../landing-files.ts';
import { PhoneNormaliser } from '../phones.ts';
import { appendQuarantine } from '../quarantine.ts';
import { detectBom, MAX_BOM_BYTES } from './byte-order-mark.ts';
import type { AppliedWork, Batch, BatchWork, QuarantinedRecord, RawValue, Source, SourceContext } from '../source.ts';

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

/** How much of an export is held in memory at once. */
export interface CsvReadLimits {
  /** Bytes read from the file at a time. */
  readonly readBytes: number;
  /** Mapped rows (and quarantined records) held before they are appended. */
  readonly appendEvery: number;
  /** Longest unfinished record held, in characters (default `MAX_RECORD_CHARS`, 4 Mi): a longer one is quarantined. */
  readonly maxRecordChars?: number;
}

/** The limits of `parley ingest crm-csv`: memory stays flat whatever the export's size. */
export const CSV_READ_LIMITS: CsvReadLimits = { readBytes: 1 << 20, appendEvery: 10_000 };

/**
 * Salesforce / Zoho style CSV exports from `landing/crm/` (or `--path`): each file's header
 * picks a profile of `config/crm_mapping.json`, each record is mapped onto contacts, deals
 * or deal stage changes. One file is one batch (one transaction), read and appended piece by
 * piece inside it; a file already read is skipped until its content changes.
 */
export function crmCsvSourceWith(limits: CsvReadLimits): Source {
  return {
    name: 'crm-csv',
    description: 'Salesforce / Zoho style CRM exports (CSV: contacts, deals, stage history) from landing/crm/',
    freshness: { table: 'raw.crm_deals', column: 'modified_at', where: "source = 'crm-csv'" },
    read: (ctx) => readExports(ctx, limits),
  };
}

/** The crm-csv source as `parley ingest` and the scheduler run it. */
export const crmCsvSource: Source = crmCsvSourceWith(CSV_READ_LIMITS);

async function* readExports(ctx: SourceContext, limits: CsvReadLimits): AsyncGenerator<Batch> {
  const mapping = loadCrmMapping(ctx.config);
  const mctx: MappingContext = { mapping, tz: ctx.config.tz, phones: new PhoneNormaliser(ctx.config.region), skus: SkuCatalog.load(ctx.config) };
  for (const file of listInputFiles(ctx, 'crm', ['.csv'])) {
    if (ctx.signal.aborted) return;
    const key = fileCursorKey(file);
    const previous = parseCursor(ctx.cursor(key));
    const stat = fs.statSync(file);
    if (previous && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs) continue;
    // Touched but perhaps not changed: the same bytes only move the cursor.
    if (previous && previous.size === stat.size && previous.sha1 === (await sha1Of(file, limits.readBytes))) {
      yield { rows: {}, quarantine: [], read: 0, cursors: { [key]: JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, sha1: previous.sha1 } satisfies CsvCursor) } };
      continue;
    }
    yield { rows: {}, quarantine: [], read: 0, cursors: {}, apply: (work) => loadExport(file, key, stat.mtimeMs, mctx, limits, work) };
  }
}

/** SHA-1 of a file, read a piece at a time. */
async function sha1Of(file: string, readBytes: number): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: readBytes })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The decoder of an export from its first bytes (at least `MAX_BOM_BYTES` unless the file is shorter): UTF-8 (with or without BOM) or UTF-16 with its BOM (Excel "Unicode text"). */
function exportDecoder(first: Uint8Array): TextDecoder {
  const encoding = detectBom(first)?.encoding;
  // The UTF-16 decoders drop their BOM; the parser drops a UTF-8 BOM itself.
  return encoding === 'utf-16le' || encoding === 'utf-16be' ? new TextDecoder(encoding) : new TextDecoder('utf-8', { ignoreBOM: true });
}

/**
 * Reads one export inside its batch's transaction: decodes and parses it piece by piece,
 * maps each record, and appends the rows and quarantined records every `appendEvery`, so
 * only that many are held at once. Its cursor is the size and SHA-1 of the bytes read.
 */
async function loadExport(file: string, key: string, mtimeMs: number, mctx: MappingContext, limits: CsvReadLimits, work: BatchWork): Promise<AppliedWork> {
  const hash = createHash('sha1');
  let size = 0;
  let decoder: TextDecoder | undefined;
  /** The first bytes, held until there are enough to tell a byte order mark (pieces may be smaller). */
  let head: Buffer | undefined;
  const csv = new CsvStream({ maxRecordChars: limits.maxRecordChars ?? MAX_RECORD_CHARS });
  const mapper = new ExportMapper(file, mctx, work, limits.appendEvery);
  // Records given up by the parser are quarantined as they come, not held to the end.
  const take = (records: readonly CsvRecord[]) => mapper.take(records, csv.errors.splice(0));
  for await (const chunk of fs.createReadStream(file, { highWaterMark: limits.readBytes })) {
    let bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    if (!decoder) {
      head = head ? Buffer.concat([head, bytes]) : bytes;
      if (head.length < MAX_BOM_BYTES) continue;
      decoder = exportDecoder(head);
      bytes = head;
      head = undefined;
    }
    await take(csv.push(decoder.decode(bytes, { stream: true })));
  }
  if (head) {
    decoder = exportDecoder(head);
    await take(csv.push(decoder.decode(head, { stream: true })));
  }
  await take(csv.push(decoder?.decode() ?? ''));
  await take(csv.end());
  const cursor: CsvCursor = { size, mtimeMs, sha1: hash.digest('hex') };
  return mapper.finish(csv, { [key]: JSON.stringify(cursor) });
}

/** Maps the records of one export as they come and appends them in groups. */
class ExportMapper {
  private readonly name: string;
  private header: string[] | undefined;
  private profile: CsvProfile | undefined;
  private rows: Record<string, RawValue[][]> = {};
  private held = 0;
  private quarantine: QuarantinedRecord[] = [];
  private readonly types = new Map<string, readonly string[]>();
  private read = 0;
  private loaded = 0;
  private quarantined = 0;
  private readonly counters: Record<string, number> = {};
  private readonly notes: string[] = [];

  constructor(
    private readonly file: string,
    private readonly mctx: MappingContext,
    private readonly work: BatchWork,
    private readonly appendEvery: number,
  ) {
    this.name = path.basename(file);
  }

  /** Maps records (the first one of the file is its header) and quarantines records the parser gave up, appending when enough are held. */
  async take(records: readonly CsvRecord[], errors: readonly CsvError[]): Promise<void> {
    for (const e of errors) this.quarantine.push({ location: this.file, lineNo: e.lineNo, reason: e.reason, rawText: e.text });
    for (const rec of records) {
      if (this.header === undefined) {
        this.header = rec.fields.map((h) => h.trim());
        this.profile = profileForHeader(this.mctx.mapping.profiles, this.header);
        continue;
      }
      this.read++;
      if (this.profile) this.map(rec);
    }
    if (this.held + this.quarantine.length >= this.appendEvery) await this.flush();
  }

  private map(rec: CsvRecord): void {
    const file = this.file;
    const header = this.header!;
    let fields = rec.fields;
    // Some exports end every line with a delimiter: empty extra fields are harmless.
    if (fields.length > header.length && fields.slice(header.length).every((f) => f.trim() === '')) fields = fields.slice(0, header.length);
    if (fields.length !== header.length) {
      this.quarantine.push({ location: file, lineNo: rec.lineNo, reason: `has ${fields.length} fields but the header has ${header.length} (a stray delimiter or quote?)`, rawText: rec.text });
      return;
    }
    const record: Record<string, string> = {};
    header.forEach((h, i) => (record[h] = fields[i]!));
    const mapped = mapRecord(this.profile!, record, { source: 'crm-csv', location: file, lineNo: rec.lineNo }, this.mctx);
    if ('reason' in mapped) {
      this.quarantine.push({ location: file, lineNo: rec.lineNo, recordId: mapped.recordId, reason: mapped.reason, rawText: rec.text });
      return;
    }
    (this.rows[mapped.table] ??= []).push(mapped.row);
    this.held++;
    for (const [k, v] of Object.entries(mapped.counters)) this.counters[k] = (this.counters[k] ?? 0) + v;
    for (const e of mapped.errors) if (this.notes.length < 5) this.notes.push(`${this.name} line ${rec.lineNo}: ${e}`);
  }

  private async flush(): Promise<void> {
    const { conn, loadId } = this.work;
    for (const [qualified, rows] of Object.entries(this.rows)) {
      const [schema, table] = qualified.split('.') as [string, string];
      let types = this.types.get(qualified);
      if (!types) this.types.set(qualified, (types = await columnTypes(conn, schema, table)));
      this.loaded += await appendRows(conn, schema, table, rows, [loadId], types);
    }
    this.quarantined += await appendQuarantine(conn, this.work, this.quarantine);
    this.rows = {};
    this.held = 0;
    this.quarantine = [];
  }

  /** Appends what is still held, with the parse errors and (for an unknown header) the header itself. */
  async finish(csv: CsvStream, cursors: Record<string, string>): Promise<AppliedWork> {
    const file = this.file;
    for (const e of csv.errors) this.quarantine.push({ location: file, lineNo: e.lineNo, reason: e.reason, rawText: e.text });
    if (!this.profile) {
      const known = this.mctx.mapping.profiles.map((p) => `${p.name} (${p.detect.join(', ')})`).join('; ');
      this.quarantine.push({
        location: file,
        lineNo: 1,
        reason: `the header of ${this.name} matches no export profile in crm_mapping.json; profiles and the columns they need: ${known}`,
        rawText: (this.header ?? []).join(csv.delimiter),
      });
      this.read++;
      this.counters.unknown_files = 1;
      this.notes.splice(0, this.notes.length, `${this.name}: header matches no export profile`);
    }
    await this.flush();
    return { read: this.read, loaded: this.loaded, quarantined: this.quarantined, cursors, counters: this.counters, notes: this.notes };
  }
}
