import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeExport } from '../../../pipelines/sources/whatsapp-export/decode-export.ts';
import { exportFixture } from './parse-fixture.ts';

const read = (name: string) => decodeExport(fs.readFileSync(exportFixture(name)));

describe('decoding export files', () => {
  it('reads UTF-16 with a BOM (little and big endian) as text', () => {
    for (const name of ['utf16-bom.txt', 'utf16be-bom.txt']) {
      const d = read(name);
      expect(d).toEqual({ text: '[25/12/2023, 14:05:10] Grace Yip: Hi from Windows\r\n[25/12/2023, 14:06:00] Shirley Tam: Hello 你好 👋\r\n', encoding: name === 'utf16-bom.txt' ? 'utf-16le' : 'utf-16be' });
    }
  });

  it('reads UTF-16 without a BOM from its NUL pattern', () => {
    expect(decodeExport(Buffer.from('1/5/24, 3:12 PM - A: hi\n', 'utf16le'))).toEqual({ text: '1/5/24, 3:12 PM - A: hi\n', encoding: 'utf-16le' });
  });

  it('drops a UTF-8 BOM', () => {
    expect(decodeExport(Buffer.from('\ufeff1/5/24, 3:12 PM - A: hi\n'))).toEqual({ text: '1/5/24, 3:12 PM - A: hi\n', encoding: 'utf-8' });
  });

  it.each([
    ['empty.txt', /^empty file/],
    ['binary.txt', /^binary file/],
    ['page.txt', /^HTML or XML file/],
  ])('refuses %s with a reason', (name, reason) => {
    const d = read(name);
    expect('reason' in d && d.reason).toMatch(reason);
  });

  it('names a ZIP archive and says to unzip it', () => {
    const d = decodeExport(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect('reason' in d && d.reason).toMatch(/^ZIP archive: unzip/);
  });
});
