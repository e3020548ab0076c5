/** One record of a CSV file: its fields, the line it starts on and its text as written. */
export interface CsvRecord {
  readonly lineNo: number;
  readonly fields: string[];
  readonly text: string;
}

/** A record that could not be read: where it starts, why, and its text. */
export interface CsvError {
  readonly lineNo: number;
  readonly reason: string;
  readonly text: string;
}

/** A parsed CSV file: the header, the records after it and the records that could not be read. */
export interface CsvFile {
  readonly delimiter: string;
  readonly header: string[];
  readonly records: CsvRecord[];
  readonly errors: CsvError[];
}

/**
 * Picks the delimiter of a CSV export from its first line: the one of `,` `;` tab that
 * occurs most often outside quotes (Excel in many European locales writes `;`).
 */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * Longest unfinished record held, in characters (4 Mi, far more than any real CRM record):
 * past it the record is given up as an error (most likely a quote left open) and reading goes
 * on from the line after the one it started on, so one bad record cannot make memory follow
 * the rest of the file.
 */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024;

/** Characters of a record given up for its length that are kept as its error text. */
const MAX_ERROR_TEXT = 64 * 1024;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Reads CSV text piece by piece (RFC 4180 plus what CRM exports do): a UTF-8 BOM, CRLF or
 * LF line ends, quoted fields with `""` escapes, delimiters and line breaks inside quotes,
 * `,` `;` or tab delimiters (detected from the first line unless given). Blank lines are
 * skipped. `push` returns the records its text completes (the header row first, as a
 * record); only the unfinished record is held between pieces, so memory follows the
 * longest record, not the file. A quote left open at the end makes the rest one error
 * instead of swallowing it silently. A record that grows past `maxRecordChars` (default
 * `MAX_RECORD_CHARS`) becomes an error there and then (its first characters kept), and reading
 * goes on from the line after the one it started on. Pieces may split anything, even a
 * `\r\n` or a `""`.
 */
export class CsvStream {
  /** The delimiter, once the first line has been seen (or given). */
  delimiter: string | undefined;
  /** Records that could not be read (a quote left open, a record longer than the limit); the caller may take them as they come. */
  readonly errors: CsvError[] = [];

  private buf = '';
  private started = false;
  private ended = false;
  /** Where scanning goes on in `buf`. */
  private pos = 0;
  /** Where the unfinished record starts in `buf`. */
  private recordStart = 0;
  /** Where the field's characters not yet copied into `field` start in `buf`. */
  private runStart = 0;
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** The current field had a quote, so an empty record is not blank. */
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;
  private readonly maxRecordChars: number;
  /** A record was given up for its length before its line ended: skip to the next line end. */
  private skipping = false;

  constructor(opts: { delimiter?: string; maxRecordChars?: number } = {}) {
    this.delimiter = opts.delimiter;
    this.maxRecordChars = opts.maxRecordChars ?? MAX_RECORD_CHARS;
    if (!Number.isInteger(this.maxRecordChars) || this.maxRecordChars < 1) throw new Error(`CsvStream: maxRecordChars must be a whole number of at least 1, not ${this.maxRecordChars}`);
  }

  /** Adds the next piece of text; returns the records it completes. */
  push(piece: string): CsvRecord[] {
    if (this.ended) throw new Error('CsvStream: push after end');
    if (!this.started) {
      if (piece === '') return [];
      this.started = true;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    this.buf = this.buf.slice(this.recordStart) + piece;
    this.pos -= this.recordStart;
    this.runStart -= this.recordStart;
    this.recordStart = 0;
    return this.scan(false);
  }

  /** Ends the text; returns the last record, if any (or records it in `errors`). */
  end(): CsvRecord[] {
    if (this.ended) return [];
    const out = this.scan(true);
    this.ended = true;
    const text = this.buf;
    if (this.quoted) {
      this.errors.push({ lineNo: this.recordLine, reason: `a quoted field opened on line ${this.recordLine} is never closed`, text: text.slice(this.recordStart) });
    } else if (this.field !== '' || this.runStart < text.length || this.fields.length > 0 || this.fieldStarted) {
      this.field += text.slice(this.runStart);
      this.endRecord(text, text.length, out);
    }
    this.buf = '';
    return out;
  }

  private scan(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const text = this.buf;
    const n = text.length;
    if (this.delimiter === undefined) {
      const firstBreak = text.indexOf('\n');
      if (firstBreak === -1 && !final && n <= this.maxRecordChars) return out;
      this.delimiter = detectDelimiter(firstBreak === -1 ? text.slice(0, this.maxRecordChars) : text.slice(0, firstBreak > 0 && text[firstBreak - 1] === '\r' ? firstBreak - 1 : firstBreak));
    }
    const delimiter = this.delimiter.charCodeAt(0);
    let i = this.pos;
    for (;;) {
      if (this.skipping) i = this.skipLine(text, i);
      i = this.scanRecords(text, i, final, delimiter, out);
      if (final || n - this.recordStart <= this.maxRecordChars) break;
      i = this.giveUpRecord(text);
    }
    this.pos = i;
    return out;
  }

  /** Gives up the unfinished record for its length; returns where reading goes on. */
  private giveUpRecord(text: string): number {
    const limit = this.maxRecordChars;
    const why = this.quoted ? `unclosed quote: record longer than ${limit} characters (a quoted field opened on line ${this.recordLine} is never closed before it)` : `record longer than ${limit} characters without a line end`;
    // A copy, not a slice: a slice would keep the whole held text alive until the error is written.
    const kept = Buffer.from(text.slice(this.recordStart, this.recordStart + Math.min(limit, MAX_ERROR_TEXT)), 'utf16le').toString('utf16le');
    this.errors.push({ lineNo: this.recordLine, reason: why, text: kept });
    this.fields = [];
    this.field = '';
    this.quoted = false;
    this.fieldStarted = false;
    this.line = this.recordLine;
    this.skipping = true;
    return this.recordStart;
  }

  /** Skips to just past the next `\n` from `i` (dropping all if there is none yet); returns where reading goes on. */
  private skipLine(text: string, i: number): number {
    const lf = text.indexOf('\n', i);
    if (lf === -1) {
      this.recordStart = this.runStart = text.length;
      return text.length;
    }
    this.skipping = false;
    this.line++;
    this.recordLine = this.line;
    this.recordStart = this.runStart = lf + 1;
    return lf + 1;
  }

  /** Reads records from `i` until the text ends or must wait for the next piece; returns where it stopped. */
  private scanRecords(text: string, i: number, final: boolean, delimiter: number, out: CsvRecord[]): number {
    const n = text.length;
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (this.quoted) {
        if (ch === QUOTE) {
          if (i + 1 === n && !final) break; // is it `""`? The next piece says.
          this.field += text.slice(this.runStart, i);
          if (text.charCodeAt(i + 1) === QUOTE) {
            this.field += '"';
            i += 2;
          } else {
            this.quoted = false;
            i++;
          }
          this.runStart = i;
          continue;
        }
        if (ch === LF) this.line++;
        i++;
        continue;
      }
      if (ch === QUOTE && this.field === '' && this.runStart === i && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
        this.runStart = ++i;
      } else if (ch === delimiter) {
        this.fields.push(this.field + text.slice(this.runStart, i));
        this.field = '';
        this.fieldStarted = false;
        this.runStart = ++i;
      } else if (ch === LF || ch === CR) {
        if (ch === CR) {
          if (i + 1 === n && !final) break; // is it `\r\n`? The next piece says.
          if (text.charCodeAt(i + 1) !== LF) {
            i++; // a lone \r is text
            continue;
          }
        }
        this.field += text.slice(this.runStart, i);
        if (ch === CR) i++;
        this.endRecord(text, i + 1, out);
        this.line++;
        this.recordLine = this.line;
        this.recordStart = this.runStart = ++i;
      } else {
        i++;
      }
    }
    return i;
  }

  private endRecord(text: string, end: number, out: CsvRecord[]): void {
    const fields = this.fields;
    fields.push(this.field);
    const blank = fields.length === 1 && fields[0] === '' && !this.fieldStarted;
    if (!blank) out.push({ lineNo: this.recordLine, fields, text: text.slice(this.recordStart, end).replace(/\r?\n$/, '') });
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
  }
}

/** Parses a whole CSV text (see `CsvStream`): the first record is the header, its names trimmed. */
export function parseCsv(input: string, opts: { delimiter?: string; maxRecordChars?: number } = {}): CsvFile {
  const stream = new CsvStream(opts);
  const rows = [...stream.push(input), ...stream.end()];
  const [head, ...records] = rows;
  return { delimiter: stream.delimiter ?? detectDelimiter(''), header: (head?.fields ?? []).map((h) => h.trim()), records, errors: stream.errors };
}
