import { detectBom } from '../byte-order-mark.ts';

/** The text of an export file, or why the file is not a text export. */
export type DecodedExport = { readonly text: string; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' } | { readonly reason: string };

/** Largest export read (a 40,000-message export, WhatsApp's own limit, is a few MB). */
export const MAX_EXPORT_BYTES = 512 * 1024 * 1024;

/** Share of undecodable or control characters past which a file is taken for binary. */
const MAX_BAD_SHARE = 0.01;

/**
 * Decodes an export file's bytes: UTF-8 (with or without BOM) or UTF-16 (with a BOM, as some
 * Windows tools save it, or without one when the NUL pattern shows it). Empty, binary,
 * HTML/XML, ZIP and PDF files get a reason instead of text.
 */
export function decodeExport(bytes: Uint8Array): DecodedExport {
  if (bytes.length === 0) return { reason: 'empty file: not a WhatsApp chat export' };
  if (bytes.length > MAX_EXPORT_BYTES) return { reason: `file of ${bytes.length} bytes is larger than ${MAX_EXPORT_BYTES} bytes: not a single chat export` };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const bom = detectBom(buf);
  if (bom?.encoding === 'utf-16le') return checked(buf.toString('utf16le', bom.length, bom.length + ((buf.length - bom.length) & ~1)), 'utf-16le');
  if (bom?.encoding === 'utf-16be') return checked(swapBytes(buf.subarray(bom.length)).toString('utf16le'), 'utf-16be');
  const magic = sniffMagic(buf);
  if (magic) return { reason: magic };
  const utf16 = utf16WithoutBom(buf);
  if (utf16) return checked((utf16 === 'utf-16le' ? buf : swapBytes(buf)).toString('utf16le', 0, buf.length & ~1), utf16);
  const start = bom?.encoding === 'utf-8' ? bom.length : 0;
  return checked(buf.toString('utf8', start), 'utf-8');
}

/** Rejects text with too many replacement or control characters (binary data decoded as text). */
function checked(text: string, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): DecodedExport {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { reason: 'file holds only whitespace: not a WhatsApp chat export' };
  let bad = 0;
  const n = Math.min(body.length, 1 << 20);
  for (let i = 0; i < n; i++) {
    const c = body.charCodeAt(i);
    if (c === 0xfffd || c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  if (bad > 0 && bad >= n * MAX_BAD_SHARE) {
    return { reason: `binary file (${bad} of the first ${n} characters are not text): not a UTF-8 or UTF-16 WhatsApp chat export` };
  }
  const head = body.trimStart().slice(0, 200).toLowerCase();
  if (head.startsWith('<!doctype') || head.startsWith('<html') || head.startsWith('<?xml') || head.startsWith('<head') || head.startsWith('<body')) {
    return { reason: 'HTML or XML file, not a WhatsApp chat export: export the chat from the app (More > Export chat) instead of saving a web page' };
  }
  return { text: body, encoding };
}

/** Known non-text formats that people drop into the exports folder by mistake. */
function sniffMagic(buf: Buffer): string | undefined {
  if (buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return 'ZIP archive: unzip the WhatsApp export and put its _chat.txt (or the .txt inside) here';
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'PDF file: not a WhatsApp chat export';
  return undefined;
}

/** UTF-16 without a BOM shows as NUL bytes on one side of every ASCII character. */
function utf16WithoutBom(buf: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(buf.length & ~1, 4096);
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenNul++;
    if (buf[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

function swapBytes(buf: Buffer): Buffer {
  const out = Buffer.alloc(buf.length & ~1);
  for (let i = 0; i + 1 < buf.length; i += 2) {
    out[i] = buf[i + 1]!;
    out[i + 1] = buf[i]!;
  }
  return out;
}
