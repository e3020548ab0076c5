import fs from 'node:fs';
import path from 'node:path';
import { DuckDBScalarFunction, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Config } from '../config/config.ts';
import { SkuCatalog } from '../pipelines/crm/sku-catalog.ts';
import { toE164 } from '../pipelines/phones.ts';
import { CUSTOMER_SQL_FUNCTIONS } from './customer/customer-sql-functions.ts';

/** A JS function callable from SQL models (registered on the instance when it opens). */
export interface SqlFunction {
  readonly name: string;
  readonly parameterTypes: readonly DuckDBType[];
  readonly returnType: DuckDBType;
  /** Called per row; null in gives null out unless `handlesNull`. */
  readonly fn: (...args: unknown[]) => unknown;
  readonly handlesNull?: boolean;
}

/**
 * The JS functions SQL models may call. Keep them pure (same input, same output) and
 * cheap: DuckDB calls them on the JS thread, chunk by chunk.
 */
export const SQL_FUNCTIONS: SqlFunction[] = [
  {
    // parley_e164(phone, region): E.164 of a phone written any way, null when invalid.
    name: 'parley_e164',
    parameterTypes: [VARCHAR, VARCHAR],
    returnType: VARCHAR,
    fn: (phone, region) => toE164(String(phone), String(region)) ?? null,
  },
  {
    // parley_phone_country(e164): ISO country of an E.164 number ('+85291234567' -> 'HK'), null when unknown.
    name: 'parley_phone_country',
    parameterTypes: [VARCHAR],
    returnType: VARCHAR,
    fn: (phone) => phoneCountry(String(phone)),
  },
  // parley_text: message text facts of the customer models; parley_trend: the weekly trend
  // (agg_churn_weekly computes it in SQL, and its tests compare with this one).
  ...CUSTOMER_SQL_FUNCTIONS,
];

const countries = new Map<string, string | null>();
function phoneCountry(e164: string): string | null {
  let c = countries.get(e164);
  if (c === undefined) {
    c = parsePhoneNumberFromString(e164)?.country ?? null;
    if (countries.size > 500_000) countries.clear();
    countries.set(e164, c);
  }
  return c;
}

/**
 * The SQL functions of one warehouse: SQL_FUNCTIONS plus those that read its config files,
 * e.g. `parley_sku(product_name)`: the SKU a product name stands for in
 * config/sku_aliases.json, null when unknown (the file is read again when it changes).
 */
export function sqlFunctionsFor(config: Pick<Config, 'configDir'>): SqlFunction[] {
  const file = path.join(config.configDir, 'sku_aliases.json');
  let catalog: SkuCatalog | undefined;
  let loadedMtime = -1;
  let checkedAt = 0;
  const current = (): SkuCatalog => {
    const now = Date.now();
    if (catalog === undefined || now - checkedAt > 2000) {
      checkedAt = now;
      const mtime = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (catalog === undefined || mtime !== loadedMtime) {
        catalog = SkuCatalog.load(config);
        loadedMtime = mtime;
      }
    }
    return catalog;
  };
  return [
    ...SQL_FUNCTIONS,
    { name: 'parley_sku', parameterTypes: [VARCHAR], returnType: VARCHAR, fn: (name) => current().skuFor(String(name)) ?? null },
  ];
}

/** Registers every SQL function on `conn` (the registration is instance-wide). */
export function registerSqlFunctions(conn: DuckDBConnection, functions: readonly SqlFunction[] = SQL_FUNCTIONS): void {
  for (const f of functions) {
    conn.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: f.name,
        returnType: f.returnType,
        parameterTypes: f.parameterTypes,
        specialHandling: f.handlesNull === true,
        mainFunction: (_info, input, output) => {
          const vectors = f.parameterTypes.map((_, i) => input.getColumnVector(i));
          const args: unknown[] = new Array(vectors.length);
          for (let row = 0; row < input.rowCount; row++) {
            let hasNull = false;
            for (let i = 0; i < vectors.length; i++) {
              args[i] = vectors[i]!.getItem(row);
              if (args[i] === null) hasNull = true;
            }
            output.setItem(row, (hasNull && !f.handlesNull ? null : f.fn(...args)) as never);
          }
          output.flush();
        },
      }),
    );
  }
}
