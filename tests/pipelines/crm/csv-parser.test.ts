import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsv } from '../../../pipelines/crm/csv-parser.ts';

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

  it('keeps a record of only a quoted empty field', () => {
    const csv = parseCsv('a\n""\n');
    expect(csv.records.map((r) => r.fields)).toEqual([['']]);
  });
});
