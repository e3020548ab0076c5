import { queryOn } from '../db.ts';
import { ident } from '../values.ts';
import { statusFor, type CheckContext, type CheckLevel, type CheckResult, type QualityCheck } from './check.ts';

/** `schema.table` split and checked to exist (checks of a missing table are skipped). */
async function tableExists(ctx: CheckContext, table: string): Promise<boolean> {
  const [schema, name] = table.split('.') as [string, string];
  return (await queryOn(ctx.conn, `select 1 from duckdb_tables() where schema_name = $1 and table_name = $2 union all select 1 from duckdb_views() where schema_name = $1 and view_name = $2 and not internal`, [schema, name])).length > 0;
}

function quoted(table: string): string {
  return table.split('.').map(ident).join('.');
}

/**
 * A check whose SQL returns one row `{observed, sample}`: `observed` offending rows (0 is a
 * pass) and a short list of examples for the details.
 */
export function countCheck(name: string, level: CheckLevel, tables: readonly string[], describe: string, sql: (ctx: CheckContext) => string): QualityCheck {
  return {
    name,
    level,
    async run(ctx): Promise<CheckResult[]> {
      for (const t of tables) {
        if (!(await tableExists(ctx, t))) return [{ check_name: name, level, status: 'skipped', observed: null, threshold: 0, details: `${t} does not exist yet` }];
      }
      const [row] = await queryOn<{ observed: number; sample: unknown[] | null }>(ctx.conn, sql(ctx));
      const observed = Number(row?.observed ?? 0);
      const sample = (row?.sample ?? []).filter((s) => s !== null).slice(0, 3);
      return [{
        check_name: name,
        level,
        status: statusFor(observed === 0, level),
        observed,
        threshold: 0,
        details: observed === 0 ? describe : `${observed} row(s) break it: ${describe}${sample.length ? ` (e.g. ${sample.map((s) => JSON.stringify(s)).join(', ')})` : ''}`,
      }];
    },
  };
}

/** Rows where `column` has a value that is not in `to.toColumn` (relationship / foreign key). */
export function relationship(table: string, column: string, to: string, toColumn: string, level: CheckLevel = 'error'): QualityCheck {
  return countCheck(`relationship:${table}.${column}->${to}.${toColumn}`, level, [table, to], `every ${table}.${column} exists in ${to}.${toColumn}`, () => `
    select count(*) as observed, list(t.${ident(column)})[1:3] as sample
    from ${quoted(table)} as t
    left join (select distinct ${ident(toColumn)} as k from ${quoted(to)}) as p on p.k = t.${ident(column)}
    where t.${ident(column)} is not null and p.k is null`);
}

/** Rows where `column` is null. */
export function notNull(table: string, column: string, level: CheckLevel = 'error'): QualityCheck {
  return countCheck(`not_null:${table}.${column}`, level, [table], `${table}.${column} is never null`, () => `
    select count(*) as observed, [] as sample from ${quoted(table)} where ${ident(column)} is null`);
}

/** Rows where `column` is not one of `values` (nulls break it unless `allowNull`). */
export function acceptedValues(table: string, column: string, values: readonly string[], level: CheckLevel = 'error', allowNull = false): QualityCheck {
  const list = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return countCheck(`accepted_values:${table}.${column}`, level, [table], `${table}.${column} is one of ${values.join(', ')}`, () => `
    select count(*) as observed, list(distinct ${ident(column)})[1:3] as sample
    from ${quoted(table)}
    where ${allowNull ? `${ident(column)} is not null and not` : `${ident(column)} is null or not`} list_contains([${list}], ${ident(column)})`);
}

/** Rows where the boolean SQL `condition` does not hold (null counts as not holding unless written otherwise). */
export function expectation(name: string, table: string, condition: string, describe: string, level: CheckLevel = 'error'): QualityCheck {
  return countCheck(`expect:${name}`, level, [table], describe, () => `
    select count(*) as observed, [] as sample from ${quoted(table)} where not coalesce(${condition}, false)`);
}
