import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleExport } from '../../../pipelines/sources/whatsapp-export/assemble-export.ts';
import { exportFixture, parseBytes } from './parse-fixture.ts';

/** Lines of every good fixture: the material mutations start from. */
const REAL_LINES = [
  'android-en-gb.txt', 'android-en-us.txt', 'android-am-pm-dots.txt', 'android-ymd-dash.txt', 'android-de.txt', 'android-fi.txt', 'ios-en-gb.txt',
  'ios-en-us.txt', 'ios-es-nbsp.txt', 'android-ko.txt', 'ios-ko.txt', 'android-zh.txt', 'ios-zh.txt', 'WhatsApp Chat with TST Office Order.txt', 'bad-lines.txt',
].flatMap((f) => fs.readFileSync(exportFixture(f), 'utf8').split(/\r?\n/).filter(Boolean));

/** Characters that matter to the parser: digits, separators, brackets, marks, odd spaces, day halves, line breaks. */
const TRICKY = ['0', '1', '2', '9', '3', '/', '.', '-', ':', ',', ' ', '[', ']', ' - ', ': ', '\u200e', '\u200f', '\u202f', '\u00a0', '오후', '下午', 'PM', 'p. m.', '\n', '\r', '\r\n', '"', '<', '>', '\ufeff', '\u0000', '👍'];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TRICKY) }),
  fc.record({ op: fc.constant('digit' as const), at: fc.nat(), digit: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(line: string, m: Mutation): string {
  const at = line.length === 0 ? 0 : m.at % (line.length + 1);
  switch (m.op) {
    case 'delete':
      return line.slice(0, at) + line.slice(at + m.length);
    case 'insert':
      return line.slice(0, at) + m.text + line.slice(at);
    case 'digit': {
      const digits = [...line.matchAll(/\d/g)];
      if (digits.length === 0) return line;
      const d = digits[m.at % digits.length]!.index!;
      return line.slice(0, d) + String(m.digit) + line.slice(d + 1);
    }
    case 'cut':
      return line.slice(0, at);
  }
}

const mutatedExport = fc
  .array(fc.tuple(fc.constantFrom(...REAL_LINES), fc.array(mutation, { maxLength: 3 })), { minLength: 1, maxLength: 30 })
  .chain((lines) => fc.tuple(fc.constant(lines.map(([line, ms]) => ms.reduce(mutate, line))), fc.constantFrom('\n', '\r\n'), fc.boolean()))
  .map(([lines, nl, finalNewline]) => lines.join(nl) + (finalNewline ? nl : ''));

/** Lines as the issue counts them, worked out here independently of the parser. */
function countLines(text: string): number {
  if (text === '') return 0;
  const breaks = text.match(/\r\n|\n|\r/g)?.length ?? 0;
  return /(\r\n|\n|\r)$/.test(text) ? breaks : breaks + 1;
}

/** Checks that every line went exactly one place: a message's lines, a problem's lines, a system line (with its continuations) or a leading blank. */
function expectEveryLineAccountedFor(text: string): void {
  const result = assembleExport(text);
  const total = countLines(text);
  expect(result.tally.total).toBe(total);
  const t = result.tally;
  expect(t.messages + t.continuations + t.system + t.quarantined + t.blank).toBe(total);
  if ('fileProblem' in result) {
    expect(t.quarantined).toBe(total);
    return;
  }
  const covered = new Set<number>();
  for (const span of [...result.messages, ...result.problems]) {
    for (let n = span.lineNo; n < span.lineNo + span.lineCount; n++) {
      expect(covered.has(n)).toBe(false);
      expect(n >= 1 && n <= total).toBe(true);
      covered.add(n);
    }
  }
  expect(result.messages.length).toBe(t.messages);
  expect(result.problems.reduce((n, p) => n + p.lineCount, 0)).toBe(t.quarantined);
}

describe('whatsapp-export parser under random input', () => {
  it('never throws on random bytes, and says why a file is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const parsed = parseBytes(bytes);
        if (parsed.tally === undefined) expect(parsed.quarantine).toHaveLength(1);
        for (const q of parsed.quarantine) expect(q.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every line of random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), expectEveryLineAccountedFor), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.constantFrom(...TRICKY, 'Grace', '12', '2024'), { maxLength: 80 }).map((p) => p.join('')), expectEveryLineAccountedFor), { numRuns: 300 });
  });

  it('accounts for every line of mutated real-format exports and never throws making rows', () => {
    fc.assert(
      fc.property(mutatedExport, fc.constantFrom(undefined, 'dmy', 'mdy', 'ymd'), fc.constantFrom('Asia/Hong_Kong', 'Europe/Berlin'), (text, dateOrder, tz) => {
        expectEveryLineAccountedFor(text);
        const parsed = parseBytes(Buffer.from(text), '/exports/WhatsApp Chat with Grace Yip.txt', { dateOrder, tz });
        for (const row of parsed.objects) {
          expect(row.message_id).toMatch(/^wx\.[0-9a-f]{32}$/);
          expect(Number.isNaN(Date.parse(String(row.sent_at)))).toBe(false);
        }
        if (parsed.tally) expect(parsed.objects.length === parsed.tally.messages || parsed.quarantine.some((q) => q.lineNo === undefined)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
