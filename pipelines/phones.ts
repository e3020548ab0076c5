import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * Normalises a phone number to E.164 (`+85291234567`), or returns undefined when it is not
 * a valid number. Numbers without `+` are read in `region`, except WhatsApp ids (`wa_id`:
 * country code and number, digits only), which callers pass with `isWaId`.
 */
export function toE164(input: string | number | null | undefined, region: string, isWaId = false): string | undefined {
  if (input === null || input === undefined) return undefined;
  const text = String(input).trim();
  if (text === '' || text.length > 32) return undefined;
  const cleaned = text.replace(/[\s\u00a0\u200e\u200f\u202f().-]/g, '');
  if (!/^\+?\d{6,17}$/.test(cleaned) && !/^00\d{6,17}$/.test(cleaned)) return undefined;
  const candidate = isWaId && !cleaned.startsWith('+') ? `+${cleaned}` : cleaned.startsWith('00') ? `+${cleaned.slice(2)}` : cleaned;
  const parsed = parsePhoneNumberFromString(candidate, region as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : undefined;
}

/** A memo of `toE164` for one load: the same few hundred thousand numbers repeat millions of times. */
export class PhoneNormaliser {
  private readonly cache = new Map<string, string | null>();
  constructor(private readonly region: string) {}

  /** E.164 of `input`, or undefined when invalid. */
  e164(input: string | number | null | undefined, isWaId = false): string | undefined {
    if (input === null || input === undefined) return undefined;
    const key = `${isWaId ? 'w' : 'p'}${input}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      hit = toE164(input, this.region, isWaId) ?? null;
      if (this.cache.size > 500_000) this.cache.clear();
      this.cache.set(key, hit);
    }
    return hit ?? undefined;
  }
}
