import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNewLines, type FileCursor, type LineChunk } from '../../pipelines/landing-files.ts';
import { tempDir } from '../helpers/temp-dirs.ts';

async function readAll(file: string, cursor?: FileCursor, takeUnterminated?: (t: string) => boolean, maxLines?: number): Promise<LineChunk[]> {
  const chunks: LineChunk[] = [];
  for await (const c of readNewLines(file, cursor, { takeUnterminated, maxLines })) chunks.push(c);
  return chunks;
}

const tmpFile = (content: string | Buffer) => {
  const file = path.join(tempDir('parley-lines-'), 'f.ndjson');
  fs.writeFileSync(file, content);
  return file;
};

describe('reading new lines of landing files', () => {
  it('numbers lines, drops CR of CRLF endings and a UTF-8 BOM', async () => {
    const file = tmpFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb\n\nc\n')]));
    const [chunk] = await readAll(file);
    expect(chunk!.lines).toEqual([
      { no: 1, text: 'a' },
      { no: 2, text: 'b' },
      { no: 3, text: '' },
      { no: 4, text: 'c' },
    ]);
    expect(chunk!.cursor.offset).toBe(fs.statSync(file).size);
    expect(chunk!.cursor.lines).toBe(4);
  });

  it('reads only what was appended after the cursor, with line numbers continuing', async () => {
    const file = tmpFile('one\ntwo\n');
    const [first] = await readAll(file);
    fs.appendFileSync(file, 'three\nfour\n');
    const [second] = await readAll(file, first!.cursor);
    expect(second!.lines).toEqual([
      { no: 3, text: 'three' },
      { no: 4, text: 'four' },
    ]);
    expect(await readAll(file, second!.cursor)).toEqual([]);
  });

  it('leaves a partial last line for next time unless the source accepts it', async () => {
    const file = tmpFile('{"a":1}\n{"a":');
    const [chunk] = await readAll(file, undefined, () => false);
    expect(chunk!.lines.map((l) => l.text)).toEqual(['{"a":1}']);
    fs.appendFileSync(file, '2}\n');
    const [rest] = await readAll(file, chunk!.cursor);
    expect(rest!.lines).toEqual([{ no: 2, text: '{"a":2}' }]);
    const whole = tmpFile('{"a":1}\n{"a":2}');
    const [taken] = await readAll(whole, undefined, (t) => t.endsWith('}'));
    expect(taken!.lines.map((l) => l.no)).toEqual([1, 2]);
  });

  it('reads a replaced file again from the start', async () => {
    const file = tmpFile('old line one\nold line two\n');
    const [first] = await readAll(file);
    fs.writeFileSync(file, 'new content that is longer than before\nsecond\nthird\n');
    const [again] = await readAll(file, first!.cursor);
    expect(again!.lines[0]).toEqual({ no: 1, text: 'new content that is longer than before' });
  });

  it('splits a large file into chunks of at most maxLines with a cursor after each', async () => {
    const file = tmpFile(Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const chunks = await readAll(file, undefined, undefined, 10);
    expect(chunks.map((c) => c.lines.length)).toEqual([10, 10, 5]);
    expect(chunks.map((c) => c.cursor.lines)).toEqual([10, 20, 25]);
    // Resuming from the middle cursor gives the rest only.
    const resumed = await readAll(file, chunks[0]!.cursor, undefined, 100);
    expect(resumed[0]!.lines[0]).toEqual({ no: 11, text: 'line 11' });
  });

  it('says which file cannot be read and why', async () => {
    const folder = tempDir('parley-lines-');
    await expect(readAll(folder)).rejects.toThrow(/^Cannot read .*: EISDIR\. Check that it is a readable file\.$/);
  });

  it('keeps multi-byte characters whole across read boundaries', async () => {
    const long = '報價'.repeat(3_000_000); // ~18 MB: spans several 4 MiB reads
    const file = tmpFile(`${long}\n한국어\n`);
    const [chunk] = await readAll(file);
    expect(chunk!.lines[0]!.text.length).toBe(long.length);
    expect(chunk!.lines[1]!.text).toBe('한국어');
  });
});
