import { fileCursorKey, listInputFiles, parseFileCursor, readNewLines, type FileLine } from '../landing-files.ts';
import type { Batch, QuarantinedRecord, RawValue, SourceContext } from '../source.ts';

/** What a line parser makes of one line: rows for raw tables, or a reason to quarantine it. */
export type LineOutcome = { rows: Readonly<Record<string, RawValue[]>>; counters?: Readonly<Record<string, number>> } | { reason: string } | null;

/**
 * Reads the new lines of NDJSON files (landing subfolder or `--path`) and turns each into
 * raw rows or a quarantined record with its line number: the shared body of the
 * line-per-record sources. `null` outcomes (blank lines) are counted as read and skipped.
 */
export async function* ndjsonBatches(
  ctx: SourceContext,
  landingSubdir: string,
  parseLine: (line: FileLine, file: string) => LineOutcome,
  opts: { extensions?: readonly string[]; maxLines?: number; files?: readonly string[] } = {},
): AsyncGenerator<Batch> {
  const maxLines = opts.maxLines ?? 50_000;
  // Small files share a batch (one transaction per file would cost more than the parsing);
  // a batch holds up to about 2 x maxLines lines.
  let rows: Record<string, RawValue[][]> = {};
  let quarantine: QuarantinedRecord[] = [];
  let counters: Record<string, number> = {};
  let cursors: Record<string, string> = {};
  let read = 0;
  const take = (): Batch => {
    const batch = { rows, quarantine, read, cursors, counters };
    rows = {};
    quarantine = [];
    counters = {};
    cursors = {};
    read = 0;
    return batch;
  };
  for (const file of opts.files ?? listInputFiles(ctx, landingSubdir, opts.extensions ?? ['.ndjson', '.jsonl'])) {
    if (ctx.signal.aborted) break;
    const key = fileCursorKey(file);
    const chunks = readNewLines(file, parseFileCursor(ctx.cursor(key)), { maxLines, takeUnterminated: isCompleteJson });
    for await (const chunk of chunks) {
      for (const line of chunk.lines) {
        if (line.text.trim() === '') {
          counters.blank_lines = (counters.blank_lines ?? 0) + 1;
          continue;
        }
        const outcome = parseLine(line, file);
        if (outcome === null) continue;
        if ('reason' in outcome) {
          quarantine.push({ location: file, lineNo: line.no, reason: outcome.reason, rawText: line.text });
          continue;
        }
        for (const [table, row] of Object.entries(outcome.rows)) (rows[table] ??= []).push(row);
        for (const [k, v] of Object.entries(outcome.counters ?? {})) counters[k] = (counters[k] ?? 0) + v;
      }
      read += chunk.lines.length;
      cursors[key] = JSON.stringify(chunk.cursor);
      if (read >= maxLines) yield take();
    }
  }
  if (Object.keys(cursors).length > 0) yield take();
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Parses a JSON line, or returns the reason it is not a JSON object. */
export function parseJsonObject(text: string): { value: Record<string, unknown> } | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { reason: 'not a JSON object' };
  return { value: value as Record<string, unknown> };
}
