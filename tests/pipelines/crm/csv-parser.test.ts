import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvStream, detectDelimiter, parseCsv, type CsvFile } from '../../../pipelines/crm/csv-parser.ts';
import { parseCsv as parseCsvWhole } from '../../fixtures/previous-code/csv-parser-whole.ts';

describe('CSV parser', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', () => {
    const csv = parseCsv('id,name,street\r\n1,"Chan, Tai Man","Flat 3B\r\nTaikoo Shing"\r\n2,"Say ""hi""",plain\r\n');
    expect(csv.header).toEqual(['id', 'name', 'street']);
    expect(csv.records.map((r) => r.fields)).toEqual([
      ['1', 'Chan, Tai Man', 'Flat 3B\r\nTaikoo Shing'],
      ['2', 'Say "hi"', 'plain'],
    ]);
    // the second record starts on line 4: the first took lines 2 and 3
    expect(csv.records.map((r) => r.lineNo)).toEqual([2, 4]);
    expect(csv.records[0]!.text).toBe('1,"Chan, Tai Man","Flat 3B\r\nTaikoo Shing"');
  });

  it('drops a UTF-8 byte order mark and detects semicolons (Excel in European locales)', () => {
    const csv = parseCsv('\ufeffRecord Id;Full Name;Amount\n1;김민준;1.900.000,00\n');
    expect(csv.delimiter).toBe(';');
    expect(csv.header).toEqual(['Record Id', 'Full Name', 'Amount']);
    expect(csv.records[0]!.fields).toEqual(['1', '김민준', '1.900.000,00']);
  });

  it.each([
    ['a,b;c', ','],
    ['a;b;c,d', ';'],
    ['a\tb\tc', '\t'],
    ['"a;b",c,d', ','],
  ])('detects the delimiter of %j as %j', (line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter);
  });

  it('skips blank lines, keeps a last line without a line break, and keeps empty fields', () => {
    const csv = parseCsv('a,b\n\n1,\n,2');
    expect(csv.records.map((r) => [r.lineNo, r.fields])).toEqual([
      [3, ['1', '']],
      [4, ['', '2']],
    ]);
  });

  it('reports a quote left open at the end instead of swallowing the rest silently', () => {
    const csv = parseCsv('a,b\n1,"never closed\n2,3\n');
    expect(csv.records).toEqual([]);
    expect(csv.errors).toEqual([{ lineNo: 2, reason: 'a quoted field opened on line 2 is never closed', text: '1,"never closed\n2,3\n' }]);
  });

  it('gives up a record longer than the limit (a quote left open) and reads on from the line after the one it started on', () => {
    const text = 'a,b\n1,"open\n2,x\n3,y\n4,z\n';
    const stream = new CsvStream({ maxRecordChars: 8 });
    // fed one character at a time: the held record never grows past the limit
    const rows = [...[...text].flatMap((ch) => stream.push(ch)), ...stream.end()];
    expect(rows.map((r) => [r.lineNo, r.fields])).toEqual([
      [1, ['a', 'b']],
      [3, ['2', 'x']],
      [4, ['3', 'y']],
      [5, ['4', 'z']],
    ]);
    expect(stream.errors).toEqual([{ lineNo: 2, reason: 'unclosed quote: record longer than 8 characters (a quoted field opened on line 2 is never closed before it)', text: '1,"open\n' }]);
    // the same when the whole text comes at once
    expect(parseCsv(text, { maxRecordChars: 8 }).records.map((r) => r.lineNo)).toEqual([3, 4, 5]);
  });

  it('gives up a line longer than the limit without a quote, skipping to its line end even across pieces', () => {
    const stream = new CsvStream({ maxRecordChars: 6 });
    const rows = [...stream.push('a,b\n1,22222'), ...stream.push('33333'), ...stream.push('4444\n5,6\n'), ...stream.end()];
    expect(rows.map((r) => [r.lineNo, r.fields])).toEqual([
      [1, ['a', 'b']],
      [3, ['5', '6']],
    ]);
    expect(stream.errors.map((e) => [e.lineNo, e.reason])).toEqual([[2, 'record longer than 6 characters without a line end']]);
  });

  it('keeps a record as long as the limit, and the end-of-file error of a quote left open within it', () => {
    const csv = parseCsv('a,b\n1,"22"\n3,"open\n', { maxRecordChars: 8 });
    expect(csv.records.map((r) => r.fields)).toEqual([['1', '22']]);
    expect(csv.errors).toEqual([{ lineNo: 3, reason: 'a quoted field opened on line 3 is never closed', text: '3,"open\n' }]);
  });

  it('keeps a record of only a quoted empty field', () => {
    const csv = parseCsv('a\n""\n');
    expect(csv.records.map((r) => r.fields)).toEqual([['']]);
  });
});

/** Parses `text` through a CsvStream fed in the given pieces, shaped as parseCsv's result. */
function parsePieces(pieces: readonly string[]): CsvFile {
  const stream = new CsvStream();
  const rows = [...pieces.flatMap((p) => stream.push(p)), ...stream.end()];
  const [head, ...records] = rows;
  return { delimiter: stream.delimiter!, header: (head?.fields ?? []).map((h) => h.trim()), records, errors: stream.errors };
}

/** Cuts `text` at the given positions. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const p of points) {
    pieces.push(text.slice(last, p));
    last = p;
  }
  pieces.push(text.slice(last));
  return pieces;
}

describe('CSV parser read piece by piece', () => {
  // Characters that matter to CSV, and a few that do not.
  const csvText = fc.array(fc.constantFrom('a', 'b', ' ', 'é', '김', ',', ';', '\t', '"', '"', '\n', '\n', '\r', '\r\n', '\ufeff'), { maxLength: 80 }).map((cs) => cs.join(''));

  it('gives what the whole-text parser of before gave, for any text', () => {
    fc.assert(fc.property(csvText, (text) => {
      expect(parseCsv(text)).toEqual(parseCsvWhole(text));
    }), { numRuns: 3000, seed: 20261129 });
  });

  it('gives the same records wherever the pieces are cut, even inside "" or \\r\\n', () => {
    fc.assert(fc.property(csvText, fc.array(fc.nat(), { maxLength: 12 }), (text, at) => {
      expect(parsePieces(cut(text, at))).toEqual(parseCsvWhole(text));
    }), { numRuns: 3000, seed: 20261129 });
  });

  it('gives the same records fed one character at a time', () => {
    const text = '\ufeffid;name;note\r\n1;"Chan; Tai ""Man""";"two\r\nlines"\r\n\r\n2;x;\r\n3;"open\r\n';
    expect(parsePieces([...text])).toEqual(parseCsvWhole(text));
    expect(parsePieces([...text]).errors).toEqual([{ lineNo: 6, reason: 'a quoted field opened on line 6 is never closed', text: '3;"open\r\n' }]);
  });
});
