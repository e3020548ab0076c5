import { DuckDBScalarFunction, VARCHAR, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
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
  // parley_text, parley_trend: message text facts and weekly trends of the customer models.
  ...CUSTOMER_SQL_FUNCTIONS,
];

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
