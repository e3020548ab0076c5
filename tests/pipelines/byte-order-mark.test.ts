import { describe, expect, it } from 'vitest';
import { detectBom } from '../../pipelines/sources/byte-order-mark.ts';

describe('byte order mark', () => {
  it.each([
    [[0xef, 0xbb, 0xbf, 0x61], { encoding: 'utf-8', length: 3 }],
    [[0xff, 0xfe, 0x61, 0x00], { encoding: 'utf-16le', length: 2 }],
    [[0xfe, 0xff, 0x00, 0x61], { encoding: 'utf-16be', length: 2 }],
  ])('tells %j', (bytes, bom) => {
    expect(detectBom(Uint8Array.from(bytes))).toEqual(bom);
  });

  it.each([[[]], [[0xef, 0xbb]], [[0xff]], [[0x61, 0x62, 0x63]], [[0xbb, 0xef, 0xbf]]])('finds none in %j', (bytes) => {
    expect(detectBom(Uint8Array.from(bytes))).toBeUndefined();
  });
});
