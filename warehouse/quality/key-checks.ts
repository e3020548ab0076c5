import { loadModels, type Model } from '../model-files.ts';
import { queryOn } from '../db.ts';
import { ident } from '../values.ts';
import { statusFor, type CheckContext, type CheckResult, type QualityCheck } from './check.ts';

/**
 * Unique and not-null checks of every model's `-- key:` (tables and incremental models of
 * every layer). After an incremental merge only the keys of the new rows (load_id above the
 * merge's start) can repeat, so only those are checked; everything else is checked whole.
 */
export function modelKeyChecks(modelsDir?: string): QualityCheck {
  return {
    name: 'model_keys',
    level: 'error',
    async run(ctx): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      // Tables with a load_id column, in one query rather than one per model.
      const withLoadId = new Set(
        (await queryOn<{ id: string }>(ctx.conn, `select schema_name || '.' || table_name as id from duckdb_columns() where column_name = 'load_id'`)).map((r) => r.id),
      );
      for (const model of loadModels(modelsDir)) {
        if (model.materialized === 'view' || model.key.length === 0) continue;
        const built = ctx.models.find((r) => r.model === model.id);
        if (!built || built.status !== 'success') continue;
        results.push(...(await checkKey(ctx, model, built.sinceLoadId, withLoadId.has(model.id))));
      }
      return results;
    },
  };
}

async function checkKey(ctx: CheckContext, model: Model, sinceLoadId: number | undefined, hasLoadId: boolean): Promise<CheckResult[]> {
  const table = `${ident(model.schema)}.${ident(model.name)}`;
  const keys = model.key.map(ident);
  const onlyNew = sinceLoadId !== undefined && hasLoadId && model.mergeOn.join() === model.key.join();
  const scope = onlyNew ? `where (${keys.join(', ')}) in (select (${keys.join(', ')}) from ${table} where load_id > ${Number(sinceLoadId)})` : '';
  const [row] = await queryOn<{ duplicates: number; nulls: number; sample: unknown[] | null }>(
    ctx.conn,
    `with scoped as (select ${keys.join(', ')} from ${table} ${scope}),
     dupes as (select ${keys.join(', ')} from scoped where ${keys.map((k) => `${k} is not null`).join(' and ')} group by all having count(*) > 1)
     select
         (select count(*) from dupes) as duplicates,
         (select count(*) from scoped where ${keys.map((k) => `${k} is null`).join(' or ')}) as nulls,
         (select list(${keys.length === 1 ? keys[0] : `concat_ws('|', ${keys.join(', ')})`})[1:3] from dupes) as sample`,
  );
  const what = `${model.id} (${model.key.join(', ')})${onlyNew ? ', rows merged in this build' : ''}`;
  const duplicates = Number(row?.duplicates ?? 0);
  const nulls = Number(row?.nulls ?? 0);
  return [
    {
      check_name: `unique_key:${model.id}`,
      level: 'error',
      status: statusFor(duplicates === 0, 'error'),
      observed: duplicates,
      threshold: 0,
      details: duplicates === 0 ? `key of ${what} is unique` : `${duplicates} key value(s) of ${what} repeat (e.g. ${JSON.stringify((row?.sample ?? []).slice(0, 3))})`,
    },
    {
      check_name: `not_null_key:${model.id}`,
      level: 'error',
      status: statusFor(nulls === 0, 'error'),
      observed: nulls,
      threshold: 0,
      details: nulls === 0 ? `key of ${what} is never null` : `${nulls} row(s) of ${what} have a null key`,
    },
  ];
}
