import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` of the raw body bytes, as Meta sends it in X-Hub-Signature-256. */
export function signatureOf(body: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * True when `header` is the HMAC-SHA256 of exactly these body bytes. Meta signs the bytes it
 * sends (with `\uXXXX` escapes), so the body must not be parsed and re-serialised first.
 * The comparison is constant-time.
 */
export function verifySignature(body: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signatureOf(body, appSecret).slice(7), 'hex');
  const given = Buffer.from(header.trim().slice(7).toLowerCase(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
