/** The encodings a byte order mark at the start of a text file tells. */
export type BomEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** A byte order mark: the encoding it tells and its length in bytes. */
export interface ByteOrderMark {
  readonly encoding: BomEncoding;
  readonly length: number;
}

/** Bytes of the longest byte order mark told here (UTF-8's `EF BB BF`): read at least these before asking. */
export const MAX_BOM_BYTES = 3;

/** The byte order mark `bytes` start with: UTF-8 `EF BB BF`, UTF-16 LE `FF FE`, UTF-16 BE `FE FF`; none if they start with none. */
export function detectBom(bytes: Uint8Array): ByteOrderMark | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  return undefined;
}
