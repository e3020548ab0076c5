import { classifyMessage, type MessageClass } from './classify-message.ts';
import { inferDateOrder, toCalendarDate, usualDateOrder, type DateOrder, type DateOrderChoice } from './date-order.ts';
import { cleanLine, recogniseHeader, type HeaderLine } from './header-line.ts';
import { splitAuthor } from './system-lines.ts';

/** A message of the export: its first line, how many lines it spans, its wall-clock time and content. */
export interface ExportMessage {
  readonly lineNo: number;
  readonly lineCount: number;
  /** Wall-clock time, encoded as if it were UTC (Date.UTC of the local fields). */
  readonly localMs: number;
  /** The date and minute as written (`25.12.2023 14:05`, parts in written order): what message ids hash, so reading the file with another date order or timezone keeps the ids. */
  readonly writtenMinute: string;
  readonly author: string;
  readonly content: Extract<MessageClass, { kind: 'text' | 'location' | 'media' }>;
}

/** Lines that could not be read as part of a message, with why. */
export interface ExportProblem {
  readonly lineNo: number;
  readonly lineCount: number;
  readonly reason: string;
  readonly rawText: string;
}

/** Where every line of a file went: the counts add up to `total`. */
export interface LineTally {
  total: number;
  /** First lines of messages (text, media, location). */
  messages: number;
  /** Lines that continue a message or system line. */
  continuations: number;
  /** First lines of system lines (deleted messages and calls included). */
  system: number;
  deleted: number;
  quarantined: number;
  /** Blank lines before the first header. */
  blank: number;
}

/** An export's lines made into messages, or the reason the whole file cannot be read. */
export type AssembledExport =
  | { readonly messages: ExportMessage[]; readonly problems: ExportProblem[]; readonly tally: LineTally; readonly dateOrder: DateOrderChoice; readonly layout: string }
  | { readonly fileProblem: string; readonly tally: LineTally };

/** Splits text into lines: LF, CRLF or a lone CR ends a line; a final line break opens no empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

interface Open {
  lineNo: number;
  lines: string[];
  kind: 'message' | 'system' | 'problem';
  localMs: number;
  writtenMinute: string;
  author: string;
  marked: boolean;
  reason: string;
}

/**
 * Turns an export's text into messages. Headers in the file's dominant layout start a
 * message or a system line; every other line continues the one before (multi-line messages,
 * blank lines, lines that merely start with a date). Lines before the first header and
 * headers whose date is impossible in the file's date order are problems, kept with the lines
 * that continue them.
 */
export function assembleExport(text: string, override?: DateOrder): AssembledExport {
  const lines = splitLines(text);
  const tally: LineTally = { total: lines.length, messages: 0, continuations: 0, system: 0, deleted: 0, quarantined: 0, blank: 0 };
  const cleaned: string[] = new Array(lines.length);
  const headers: (HeaderLine | null)[] = new Array(lines.length);
  const layoutCounts = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const c = cleanLine(lines[i]!);
    cleaned[i] = c;
    const h = recogniseHeader(c);
    headers[i] = h;
    if (h) layoutCounts.set(h.layout, (layoutCounts.get(h.layout) ?? 0) + 1);
  }
  let layout: string | undefined;
  let most = 0;
  for (const [l, n] of layoutCounts) if (n > most) [layout, most] = [l, n];
  if (layout === undefined) {
    const first = lines.find((l) => l.trim() !== '') ?? '';
    tally.quarantined = lines.length;
    return { fileProblem: `not a WhatsApp chat export, or a date layout Parley does not know: no line starts with a date and time followed by " - " or "] " (first line: ${JSON.stringify(first.slice(0, 80))})`, tally };
  }
  const dominant = layout;
  const dated = headers.filter((h): h is HeaderLine => h !== null && h.layout === dominant);
  const dateOrder: DateOrderChoice = override ? { order: override, guessed: false } : inferDateOrder(dated, usualDateOrder(dominant));

  const messages: ExportMessage[] = [];
  const problems: ExportProblem[] = [];
  let open: Open | undefined;
  const close = () => {
    if (open) finish(open, lines, messages, problems, tally);
    open = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const h = headers[i];
    const line = cleaned[i]!;
    if (h && h.layout === dominant) {
      close();
      open = startEntry(i + 1, lines[i]!, line, h, dateOrder.order);
    } else if (open) {
      open.lines.push(line);
    } else if (line.trim() === '') {
      tally.blank++;
    } else {
      open = { lineNo: i + 1, lines: [line], kind: 'problem', localMs: 0, writtenMinute: '', author: '', marked: false, reason: 'text before the first message header' };
    }
  }
  close();
  return { messages, problems, tally, dateOrder, layout: dominant };
}

/** Opens a message, system line or problem at a header line. */
function startEntry(lineNo: number, original: string, line: string, h: HeaderLine, order: DateOrder): Open {
  const date = toCalendarDate(h.parts, order);
  if (!date || !(h.hour >= 0 && h.hour <= 23) || h.minute > 59 || h.second > 59) {
    const what = date ? 'time' : `date in the file's date order (${order})`;
    return { lineNo, lines: [line], kind: 'problem', localMs: 0, writtenMinute: '', author: '', marked: false, reason: `header with an impossible ${what}` };
  }
  const localMs = Date.UTC(date.year, date.month - 1, date.day, h.hour, h.minute, h.second);
  const writtenMinute = writtenMinuteOf(h);
  const rest = splitAuthor(h.rest);
  if ('system' in rest) return { lineNo, lines: [rest.system], kind: 'system', localMs, writtenMinute, author: '', marked: false, reason: '' };
  return { lineNo, lines: [rest.text], kind: 'message', localMs, writtenMinute, author: rest.author, marked: isMarked(original, line, h, rest.author), reason: '' };
}

/** The written date (two-digit years made four-digit) and the minute on a 24-hour clock. */
function writtenMinuteOf(h: HeaderLine): string {
  const [a, b, c] = h.parts;
  const date = h.firstDigits >= 3 ? `${a}.${b}.${c}` : `${a}.${b}.${c < 100 ? 2000 + c : c}`;
  return `${date} ${h.hour}:${h.minute < 10 ? '0' : ''}${h.minute}`;
}

/**
 * True when the export put a left-to-right mark at the start of the line or of the text
 * (iOS does for what WhatsApp wrote itself). Cleaning only removes marks, so in the original
 * line the author's ": " sits at most that many characters further on.
 */
function isMarked(original: string, cleaned: string, h: HeaderLine, author: string): boolean {
  if (original.charCodeAt(0) === 0x200e) return true;
  if (original.length === cleaned.length) return false;
  const at = original.indexOf(': \u200e');
  return at !== -1 && at <= cleaned.length - h.rest.length + author.length + (original.length - cleaned.length);
}

/** Closes an entry: classifies a message and counts its lines. */
function finish(open: Open, lines: readonly string[], messages: ExportMessage[], problems: ExportProblem[], tally: LineTally): void {
  const lineCount = open.lines.length;
  if (open.kind === 'problem') {
    tally.quarantined += lineCount;
    problems.push({ lineNo: open.lineNo, lineCount, reason: open.reason, rawText: lines.slice(open.lineNo - 1, open.lineNo - 1 + lineCount).join('\n') });
    return;
  }
  tally.continuations += lineCount - 1;
  if (open.kind === 'system') {
    tally.system++;
    return;
  }
  const content = classifyMessage(open.lines.join('\n').trimEnd(), open.marked);
  if (content.kind === 'system' || content.kind === 'deleted') {
    tally.system++;
    if (content.kind === 'deleted') tally.deleted++;
    return;
  }
  tally.messages++;
  messages.push({ lineNo: open.lineNo, lineCount, localMs: open.localMs, writtenMinute: open.writtenMinute, author: open.author, content });
}
