import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';

/** `config/sku_aliases.json`: SKU -> the names it goes by. */
export interface SkuAliases {
  readonly skus: Readonly<Record<string, readonly string[]>>;
}

/** The matching key of a product name: case, width, spaces and punctuation ignored. */
export function productKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Lists what is wrong with a parsed sku_aliases.json (empty when it is fine). */
export function validateSkuAliases(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['the file must hold a JSON object'];
  const skus = (value as Record<string, unknown>).skus;
  if (skus === null || typeof skus !== 'object' || Array.isArray(skus)) return ['"skus" must map each SKU to a list of product names'];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [sku, names] of Object.entries(skus as Record<string, unknown>)) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && productKey(n) !== '')) {
      problems.push(`"skus.${sku}" must be a list of product names`);
      continue;
    }
    for (const n of [sku, ...(names as string[])]) {
      const other = seen.get(productKey(n));
      if (other !== undefined && other !== sku) problems.push(`"${n}" names both ${other} and ${sku}`);
      seen.set(productKey(n), sku);
    }
  }
  return problems;
}

/** Turns product names into SKUs through the alias list; unknown names give undefined. */
export class SkuCatalog {
  private readonly byKey = new Map<string, string>();

  constructor(aliases: SkuAliases) {
    for (const [sku, names] of Object.entries(aliases.skus)) {
      for (const n of [sku, ...names]) this.byKey.set(productKey(n), sku);
    }
  }

  /** Reads `config/sku_aliases.json`. */
  static load(config: Pick<Config, 'configDir'>): SkuCatalog {
    return new SkuCatalog(readJsonConfig<SkuAliases>(config, 'sku_aliases', validateSkuAliases));
  }

  /** The SKU a product name or code stands for, or undefined when the catalog does not know it. */
  skuFor(name: string | null | undefined): string | undefined {
    if (name === null || name === undefined) return undefined;
    const key = productKey(name);
    return key === '' ? undefined : this.byKey.get(key);
  }
}
