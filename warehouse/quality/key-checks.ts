import { loadModels, type Model } from '../model-files.ts';
import { queryOn } from '../db.ts';
import { ident } from '../values.ts';
import { statusFor, type CheckContext, type CheckResult, type QualityCheck } from './check.ts';

/**
 * Unique and not-null checks of every model's `-- key:` (tables and incremental models of
 * every layer). After an incremental merge only keys of the rows the merge inserted can
 * repeat (every other row was unique before, and the merge deleted the rows it replaced), so
 * only those are checked, from the merge's temp table (CheckContext.mergedRows): when the
 * model merges by its key, among the inserted rows alone (the merge deleted every older row
 * with one of their keys); otherwise against the whole table. Everything else is checked whole.
 */
export function modelKeyChecks(modelsDir?: string): QualityCheck {
  return {
    name: 'model_keys',
    level: 'error',
    async run(ctx): Promise<CheckResult[]> {
      const results: CheckResult[] = [];
      // The build's own model definitions when it passes them; read from the folder otherwise.
      for (const model of ctx.definitions ?? loadModels(modelsDir)) {
        if (model.materialized === 'view' || model.key.length === 0) continue;
        const built = ctx.models.find((r) => r.model === model.id);
        if (!built || built.status !== 'success') continue;
        // Only a model merged incrementally in this build has merged rows.
        results.push(...(await checkKey(ctx, model, ctx.mergedRows?.get(model.id))));
      }
      return results;
    },
  };
}

async function checkKey(ctx: CheckContext, model: Model, merged: string | undefined): Promise<CheckResult[]> {
  const table = `${ident(model.schema)}.${ident(model.name)}`;
  const keys = model.key.map(ident);
  const cols = keys.join(', ');
  // Null keys can only be new: among the merged rows when there are some.
  const nullScope = `select ${cols} from ${merged ? ident(merged) : table}`;
  // Where repeats can be: the merged rows alone (merged by the key), the table's rows with a merged key, or the whole table.
  const candidates =
    merged && model.mergeOn.join() !== model.key.join() ? `select ${cols} from ${table} where (${cols}) in (select (${cols}) from ${ident(merged)})` : nullScope;
  const [row] = await queryOn<{ duplicates: number; nulls: number; sample: unknown[] | null }>(
    ctx.conn,
    `with candidates as (${candidates}),
     dupes as (select ${cols} from candidates where ${keys.map((k) => `${k} is not null`).join(' and ')} group by all having count(*) > 1)
     select
         (select count(*) from dupes) as duplicates,
         (select count(*) from (${nullScope}) where ${keys.map((k) => `${k} is null`).join(' or ')}) as nulls,
         (select list(${keys.length === 1 ? keys[0] : `concat_ws('|', ${cols})`})[1:3] from dupes) as sample`,
  );
  const what = `${model.id} (${model.key.join(', ')})${merged ? ', rows merged in this build' : ''}`;
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
