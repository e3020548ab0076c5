import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';
import { isDate, isNumberIn, isObject } from './config-checks.ts';

/** `config/promotions.json` as written. */
export interface PromotionsFile {
  readonly description?: string;
  /** A promotion week whose discount-tag share of conversations is below this is flagged. */
  readonly min_discount_share: number;
  readonly promotions: readonly { readonly name: string; readonly start: string; readonly end: string }[];
}

/** Problems with a promotion calendar (empty when it is fine). */
export function validatePromotions(value: unknown): string[] {
  if (!isObject(value)) return ['the file must hold an object with "min_discount_share" and "promotions"'];
  const problems: string[] = [];
  if (!isNumberIn(value.min_discount_share, 0, 1)) problems.push('"min_discount_share" must be a share between 0 and 1 (0.08 = 8%)');
  if (!Array.isArray(value.promotions)) return [...problems, '"promotions" must be a list ([] when there are none)'];
  value.promotions.forEach((p: unknown, i: number) => {
    if (!isObject(p) || typeof p.name !== 'string' || p.name.trim() === '') return void problems.push(`promotions[${i}] needs a "name"`);
    if (!isDate(p.start) || !isDate(p.end)) problems.push(`promotions[${i}] ("${p.name}") needs "start" and "end" as YYYY-MM-DD dates`);
    else if (p.end < p.start) problems.push(`promotions[${i}] ("${p.name}") ends before it starts`);
  });
  return problems;
}

/** Reads and validates `config/promotions.json`. */
export function readPromotions(config: Pick<Config, 'configDir'>): PromotionsFile {
  return readJsonConfig<PromotionsFile>(config, 'promotions', validatePromotions);
}
