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

/**
 * Rows where `column` has a value that is not in `to.toColumn` (relationship / foreign key).
 * An anti join: no de-duplication of `to` first (at scale M about 2.5x faster than a left
 * join to its distinct keys, and the same rows). See `childRows` for which rows are checked.
 */
export function relationship(table: string, column: string, to: string, toColumn: string, level: CheckLevel = 'error'): QualityCheck {
  return countCheck(`relationship:${table}.${column}->${to}.${toColumn}`, level, [table, to], `every ${table}.${column} exists in ${to}.${toColumn}`, (ctx) => `
    select count(*) as observed, list(t.${ident(column)})[1:3] as sample
    from ${childRows(ctx, table, to, toColumn)} as t
    anti join ${quoted(to)} as p on p.${ident(toColumn)} = t.${ident(column)}
    where t.${ident(column)} is not null`);
}

/**
 * The child rows a relationship check reads: after an incremental merge of `table`, only the
 * rows the merge inserted (CheckContext.mergedRows) when no parent value can have gone in
 * this build: `to` was merged incrementally too, by its key `toColumn` and without a merge
 * scope, so every key it held is still there. The older rows passed the check of the build
 * that wrote them (as with the key checks, rows a build without checks wrote are checked
 * again only by a `--full` build). Otherwise the whole table.
 */
function childRows(ctx: CheckContext, table: string, to: string, toColumn: string): string {
  // Only a model merged incrementally in this build has merged rows.
  const merged = ctx.mergedRows?.get(table);
  if (!merged) return quoted(table);
  const parent = ctx.models.find((r) => r.model === to);
  const def = ctx.definitions?.find((m) => m.id === to);
  if (parent?.status !== 'success' || !def) return quoted(table);
  const keptEveryKey = parent.strategy === 'incremental' && def.key.join() === toColumn && def.mergeOn.join() === toColumn && def.mergeScope === undefined;
  return keptEveryKey ? ident(merged) : quoted(table);
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
