/** One record of a CSV file: its fields, the line it starts on and its text as written. */
export interface CsvRecord {
  readonly lineNo: number;
  readonly fields: string[];
  readonly text: string;
}

/** A parsed CSV file: the header, the records after it and the records that could not be read. */
export interface CsvFile {
  readonly delimiter: string;
  readonly header: string[];
  readonly records: CsvRecord[];
  readonly errors: { lineNo: number; reason: string; text: string }[];
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
 * Parses CSV text (RFC 4180 plus what CRM exports do): a UTF-8 BOM, CRLF or LF line ends,
 * quoted fields with `""` escapes, delimiters and line breaks inside quotes, `,` `;` or tab
 * delimiters (detected from the header unless given). Blank lines are skipped. A quote left
 * open at the end of the file makes the rest one bad record instead of swallowing it silently.
 */
export function parseCsv(input: string, opts: { delimiter?: string } = {}): CsvFile {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const firstBreak = text.search(/\r?\n/);
  const delimiter = opts.delimiter ?? detectDelimiter(firstBreak === -1 ? text : text.slice(0, firstBreak));
  const rows: CsvRecord[] = [];
  const errors: CsvFile['errors'] = [];

  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false; // the current field had a quote, so an empty record is not blank
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  const endRecord = (end: number) => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!blank) rows.push({ lineNo: recordLine, fields, text: text.slice(recordStart, end).replace(/\r?\n$/, '') });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      endRecord(i + 1);
      line++;
      recordLine = line;
      recordStart = i + 1;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    errors.push({ lineNo: recordLine, reason: `a quoted field opened on line ${recordLine} is never closed`, text: text.slice(recordStart) });
  } else if (field !== '' || fields.length > 0 || fieldStarted) {
    endRecord(text.length);
  }
  const [head, ...records] = rows;
  return { delimiter, header: (head?.fields ?? []).map((h) => h.trim()), records, errors };
}
