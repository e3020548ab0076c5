import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';
import { isDate, isNumberIn, isObject } from './config-checks.ts';

/** `config/rate_card.json` as written. */
export interface RateCardFile {
  readonly description?: string;
  readonly currency: 'USD';
  readonly is_example?: boolean;
  /** Market -> calling codes of its countries. */
  readonly markets: Readonly<Record<string, readonly string[]>>;
  readonly rates: readonly { readonly market: string; readonly category: string; readonly effective_from: string; readonly price_usd: number }[];
}

/** Problems with a rate card (empty when it is fine). */
export function validateRateCard(value: unknown): string[] {
  if (!isObject(value)) return ['the file must hold an object with "currency", "markets" and "rates"'];
  const problems: string[] = [];
  if (value.currency !== 'USD') problems.push('"currency" must be "USD" (prices are in US dollars)');
  const markets = value.markets;
  if (!isObject(markets)) problems.push('"markets" must be an object of market -> list of calling codes');
  else {
    for (const [m, codes] of Object.entries(markets)) {
      if (m === '*') problems.push('"markets" must not define "*": it means every country no market lists');
      if (!Array.isArray(codes) || codes.length === 0 || !codes.every((c) => typeof c === 'string' && /^[1-9]\d{0,3}$/.test(c))) problems.push(`"markets.${m}" must be a list of calling codes like "852"`);
    }
  }
  if (!Array.isArray(value.rates) || value.rates.length === 0) return [...problems, '"rates" must be a non-empty list'];
  const seen = new Set<string>();
  value.rates.forEach((r: unknown, i: number) => {
    if (!isObject(r)) return void problems.push(`rates[${i}] must be an object`);
    if (typeof r.market !== 'string' || (r.market !== '*' && !(isObject(markets) && r.market in markets))) problems.push(`rates[${i}].market must be "*" or a market listed in "markets" (got ${JSON.stringify(r.market)})`);
    if (typeof r.category !== 'string' || !/^[a-z_]+$/.test(r.category)) problems.push(`rates[${i}].category must be a pricing category like "marketing"`);
    if (!isDate(r.effective_from)) problems.push(`rates[${i}].effective_from must be a YYYY-MM-DD date`);
    if (!isNumberIn(r.price_usd, 0, 10)) problems.push(`rates[${i}].price_usd must be a number of US dollars between 0 and 10`);
    const key = `${String(r.market)}|${String(r.category)}|${String(r.effective_from)}`;
    if (seen.has(key)) problems.push(`rates[${i}] repeats market ${String(r.market)}, category ${String(r.category)} from ${String(r.effective_from)}`);
    seen.add(key);
  });
  return problems;
}

/** Reads and validates `config/rate_card.json`. */
export function readRateCard(config: Pick<Config, 'configDir'>): RateCardFile {
  return readJsonConfig<RateCardFile>(config, 'rate_card', validateRateCard);
}

/** The rate card as the cost model reads it: one row per (market, calling code) and the rates. */
export function rateCardForSql(card: RateCardFile): { is_example: boolean; markets: { market: string; calling_code: string }[]; rates: RateCardFile['rates'] } {
  return {
    is_example: card.is_example === true,
    markets: Object.entries(card.markets).flatMap(([market, codes]) => codes.map((calling_code) => ({ market, calling_code }))),
    rates: card.rates,
  };
}
