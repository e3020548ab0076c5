import type { PhoneNormaliser } from '../../phones.ts';
import type { QuarantinedRecord, RawValue } from '../../source.ts';
import { assembleExport, type LineTally } from './assemble-export.ts';
import { normaliseName } from './business-names.ts';
import type { DateOrder } from './date-order.ts';
import { decodeExport } from './decode-export.ts';
import { exportRows } from './export-rows.ts';
import type { ZonedClock } from './zoned-clock.ts';

/** How to read export files: who the business is, the date order if forced, the timezone. */
export interface ExportParseOptions {
  readonly businessNames: readonly string[];
  readonly dateOrder?: DateOrder;
  readonly clock: ZonedClock;
  readonly phones: PhoneNormaliser;
}

/** One file's rows, quarantined records and counters. */
export interface ParsedExportFile {
  readonly rows: RawValue[][];
  readonly quarantine: QuarantinedRecord[];
  readonly counters: Record<string, number>;
  /** Lines read (1 for a file that is not text). */
  readonly read: number;
  /** Where each line went (undefined when the file is not text). */
  readonly tally?: LineTally;
  /** The chat the file is (undefined when the file was refused). */
  readonly chatId?: string;
}

/** Longest excerpt of a bad file kept in quarantine. */
const EXCERPT = 2000;

/**
 * Parses one export file from its bytes. A file that cannot be read as an export becomes one
 * quarantined record saying why; bad lines inside a good file are quarantined with their line
 * numbers while the rest loads. Never throws on any input.
 */
export function parseExportFile(bytes: Uint8Array, file: string, fileSha256: string, opts: ExportParseOptions): ParsedExportFile {
  const fileProblem = (reason: string, rawText: string, tally?: LineTally): ParsedExportFile => ({
    rows: [],
    quarantine: [{ location: file, reason, rawText: rawText.slice(0, EXCERPT) }],
    counters: { files_quarantined: 1, ...(tally ? { quarantined_lines: tally.total } : {}) },
    read: Math.max(1, tally?.total ?? 1),
    tally,
  });
  const decoded = decodeExport(bytes);
  if ('reason' in decoded) return fileProblem(decoded.reason, printable(bytes));
  const assembled = assembleExport(decoded.text, opts.dateOrder);
  if ('fileProblem' in assembled) return fileProblem(assembled.fileProblem, decoded.text, assembled.tally);
  const { tally } = assembled;
  const made = exportRows(assembled.messages, {
    file,
    fileSha256,
    business: new Set(opts.businessNames.map(normaliseName)),
    clock: opts.clock,
    phones: opts.phones,
    dateOrder: assembled.dateOrder.order,
  });
  if ('reason' in made) return fileProblem(made.reason, decoded.text, tally);
  const counters: Record<string, number> = {
    messages: made.rows.length,
    media_messages: assembled.messages.filter((m) => m.content.kind === 'media').length,
    system_lines: tally.system,
    deleted_messages: tally.deleted,
    continuation_lines: tally.continuations,
    quarantined_lines: tally.quarantined,
  };
  if (tally.blank > 0) counters.blank_lines = tally.blank;
  if (assembled.dateOrder.guessed) counters.date_order_guessed = 1;
  if (decoded.encoding !== 'utf-8') counters.utf16_files = 1;
  return {
    rows: made.rows,
    quarantine: assembled.problems.map((p) => ({ location: file, lineNo: p.lineNo, reason: p.reason, rawText: p.rawText })),
    counters,
    read: tally.total,
    tally,
    chatId: made.chatId,
  };
}

/** A readable excerpt of bytes that are not text (for the quarantine record). */
function printable(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 512)).toString('latin1').replace(/[^\x20-\x7e\n]/g, '.');
}
