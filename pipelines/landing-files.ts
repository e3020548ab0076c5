import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PipelineError } from './errors.ts';
import type { SourceContext } from './source.ts';

/** Where a file was read up to: byte offset and line count of the last complete line taken. */
export interface FileCursor {
  readonly offset: number;
  readonly lines: number;
  /** Hash of the file's first bytes (up to 4 KiB), so a replaced file is read again from the start. */
  readonly head: string;
}

/** A line of a file with its 1-based number. */
export interface FileLine {
  readonly no: number;
  readonly text: string;
}

/** A chunk of new lines and the cursor after them. */
export interface LineChunk {
  readonly lines: FileLine[];
  readonly cursor: FileCursor;
}

const HEAD_BYTES = 4096;
const READ_BYTES = 4 * 1024 * 1024;

/** The cursor key of a file (its absolute path). */
export function fileCursorKey(file: string): string {
  return `file:${path.resolve(file)}`;
}

/**
 * The input files of a source: `--path` (a file, or a folder read recursively) or the
 * source's folder under the landing folder; files whose names end in one of `extensions`,
 * in name order. A missing landing folder or path is an error saying what to do.
 */
export function listInputFiles(ctx: Pick<SourceContext, 'config' | 'path' | 'log'>, landingSubdir: string, extensions: readonly string[]): string[] {
  const matches = (f: string) => extensions.some((e) => f.toLowerCase().endsWith(e));
  if (ctx.path !== undefined) {
    const p = path.resolve(ctx.path);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      throw new PipelineError('PIPE_BAD_PATH', `--path ${ctx.path} does not exist; give a file or a folder of ${extensions.join('/')} files.`, { exitCode: 2, httpStatus: 400 });
    }
    return stat.isDirectory() ? walk(p).filter(matches) : [p];
  }
  const root = ctx.config.landingDir;
  if (!fs.existsSync(root)) {
    throw new PipelineError('PIPE_BAD_PATH', `Landing folder ${root} does not exist: run \`parley demo\` to write demo data there, or set PARLEY_LANDING to your landing folder.`);
  }
  const dir = path.join(root, landingSubdir);
  if (!fs.existsSync(dir)) {
    ctx.log.info(`no ${landingSubdir}/ folder in ${root}; nothing to read`);
    return [];
  }
  return walk(dir).filter(matches);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Parses a stored cursor value (undefined or unparsable: read from the start). */
export function parseFileCursor(value: string | undefined): FileCursor | undefined {
  if (!value) return undefined;
  try {
    const c = JSON.parse(value) as FileCursor;
    return Number.isInteger(c.offset) && Number.isInteger(c.lines) && typeof c.head === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the complete lines of `file` after `cursor`, in chunks of at most `maxLines`.
 * Only lines ending in a newline are taken, except a last unterminated line that
 * `takeUnterminated` accepts (a file still being written keeps its partial line for next
 * time). A file that shrank or whose first bytes changed is read again from the start.
 * CRLF endings lose their CR; a UTF-8 BOM at the start is dropped.
 */
export async function* readNewLines(
  file: string,
  cursor: FileCursor | undefined,
  opts: { maxLines?: number; takeUnterminated?: (text: string) => boolean } = {},
): AsyncGenerator<LineChunk> {
  const maxLines = opts.maxLines ?? 50_000;
  const fh = await openForReading(file);
  try {
    const { offset, lines: fromLine, size } = await resumePoint(fh, cursor);
    let lineNo = fromLine;
    let pending: FileLine[] = [];
    let carry = Buffer.alloc(0);
    let carryStart = offset;
    let position = offset;
    const buf = Buffer.allocUnsafe(Math.min(READ_BYTES, Math.max(1, size - offset)));
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : Buffer.from(buf.subarray(0, bytesRead));
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        lineNo++;
        pending.push({ no: lineNo, text: decodeLine(data, start, nl, lineNo) });
        start = nl + 1;
        if (pending.length >= maxLines) {
          yield { lines: pending, cursor: await cursorAt(fh, carryStart + start, lineNo) };
          pending = [];
        }
      }
      carryStart += start;
      carry = data.subarray(start);
    }
    let endOffset = carryStart;
    if (carry.length > 0) {
      const text = decodeLine(carry, 0, carry.length, lineNo + 1);
      if (opts.takeUnterminated?.(text)) {
        lineNo++;
        pending.push({ no: lineNo, text });
        endOffset += carry.length;
      }
    }
    if (pending.length > 0 || !cursor || endOffset !== cursor.offset) {
      yield { lines: pending, cursor: await cursorAt(fh, endOffset, lineNo) };
    }
  } finally {
    await fh.close();
  }
}

/** Opens a file for reading, or throws a PIPE_BAD_PATH error saying why it cannot. */
export async function openForReading(file: string): Promise<fs.promises.FileHandle> {
  try {
    const fh = await fs.promises.open(file, 'r');
    if ((await fh.stat()).isDirectory()) {
      await fh.close();
      throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    }
    return fh;
  } catch (err) {
    throw new PipelineError('PIPE_BAD_PATH', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Check that it is a readable file.`, { cause: err });
  }
}

/**
 * Where to resume reading: after the cursor when the file still starts with the bytes the
 * cursor saw (it only grew), else from the start (it was replaced or truncated).
 */
export async function resumePoint(fh: fs.promises.FileHandle, cursor: FileCursor | undefined): Promise<{ offset: number; lines: number; size: number }> {
  const size = (await fh.stat()).size;
  if (cursor && cursor.offset <= size && (cursor.offset === 0 || (await headHash(fh, Math.min(cursor.offset, HEAD_BYTES))) === cursor.head)) {
    return { offset: cursor.offset, lines: cursor.lines, size };
  }
  return { offset: 0, lines: 0, size };
}

/** The cursor after `offset` bytes and `lines` lines; its head hash covers the first min(offset, 4 KiB) bytes. */
export async function cursorAt(fh: fs.promises.FileHandle, offset: number, lines: number): Promise<FileCursor> {
  return { offset, lines, head: await headHash(fh, Math.min(offset, HEAD_BYTES)) };
}

function decodeLine(data: Buffer, start: number, end: number, lineNo: number): string {
  let e = end;
  if (e > start && data[e - 1] === 13) e--;
  let s = start;
  if (lineNo === 1 && data[s] === 0xef && data[s + 1] === 0xbb && data[s + 2] === 0xbf) s += 3;
  return data.toString('utf8', s, e);
}

async function headHash(fh: fs.promises.FileHandle, bytes: number): Promise<string> {
  const b = Buffer.alloc(bytes);
  if (bytes > 0) await fh.read(b, 0, bytes, 0);
  return createHash('sha1').update(b).digest('hex').slice(0, 16);
}
