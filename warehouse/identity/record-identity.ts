import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOn, runOn } from '../db.ts';
import type { Model } from '../model-files.ts';
import type { ModelResult } from '../model-runner.ts';
import { literal } from '../values.ts';

// A model kept unchanged holds what the last build already recorded: nothing to do for it.
const built = (results: readonly ModelResult[], id: string) => results.some((r) => r.model === id && r.status === 'success' && r.strategy !== 'unchanged');

/**
 * A build step after the models: records merges (staging.int_customer_merges) in
 * ops.customer_merges and conflicts (staging.int_customer_conflicts) in ops.review_queue.
 * Models cannot write to ops, and these tables keep history a model rebuild would lose:
 * when a merge or conflict was first seen, and when it went away (undone_at, cleared).
 * Every statement is idempotent, so it runs inside or outside the build's transaction.
 * `results` are the models this build ran; `models` every model, those it left out included.
 */
export async function recordIdentity(conn: DuckDBConnection, results: readonly ModelResult[], models: readonly Model[]): Promise<{ merges: number; reviews: number }> {
  const [{ build_id: buildId }] = (await queryOn<{ build_id: number | null }>(conn, 'select max(build_id) as build_id from ops.builds')) as [{ build_id: number | null }];
  let merges = 0;
  let reviews = 0;
  if (built(results, 'staging.int_customer_merges')) {
    await dropMissedMergeState(conn, results, models);
    await runOn(conn, `update ops.customer_merges set undone_at = now() where undone_at is null and merge_id not in (select merge_id from staging.int_customer_merges)`);
    // A third number joining a customer can change whose id the pair carries.
    await runOn(conn, `update ops.customer_merges as o set customer_id = m.customer_id from staging.int_customer_merges as m where o.merge_id = m.merge_id and o.undone_at is null and o.customer_id <> m.customer_id`);
    await runOn(
      conn,
      `insert into ops.customer_merges
       select m.merge_id, m.customer_id, m.phone_e164, m.merged_phone_e164, m.name, m.merged_name, m.name_similarity, m.jaro_winkler, m.sku,
              m.bought_at, m.merged_bought_at, m.days_apart, m.evidence, $1, now(), null
       from staging.int_customer_merges as m
       where m.merge_id not in (select merge_id from ops.customer_merges where undone_at is null)`,
      [buildId],
    );
    [{ n: merges }] = (await queryOn<{ n: number }>(conn, `select count(*) as n from ops.customer_merges where first_build_id = $1`, [buildId])) as [{ n: number }];
  }
  const conflicts = built(results, 'staging.int_customer_conflicts');
  const duplicates = built(results, 'staging.int_customer_possible_duplicates');
  if (conflicts || duplicates) {
    const current = [
      ...(conflicts ? [`select review_id from staging.int_customer_conflicts`] : []),
      ...(duplicates ? [`select review_id from staging.int_customer_possible_duplicates`] : []),
    ].join(' union all ');
    const kinds = [...(conflicts ? [`'conflict'`] : []), ...(duplicates ? [`'possible_duplicate'`] : [])].join(', ');
    await runOn(conn, `update ops.review_queue set status = 'cleared', cleared_at = now() where status = 'open' and kind in (${kinds}) and review_id not in (${current})`);
    if (conflicts) {
      await runOn(
        conn,
        `insert into ops.review_queue
         select c.review_id, 'conflict', c.customer_id, c.field, c.chosen_value, c.chosen_source, c.chosen_at, c.other_value, c.other_source, c.other_at,
                null, 'open', $1, now(), null
         from staging.int_customer_conflicts as c
         where c.review_id not in (select review_id from ops.review_queue where status = 'open')`,
        [buildId],
      );
    }
    if (duplicates) {
      await runOn(
        conn,
        `insert into ops.review_queue
         select d.review_id, 'possible_duplicate', d.customer_id, 'identity', d.phone_e164 || ' ' || coalesce(d.name, ''), 'not merged', d.bought_at,
                d.other_phone_e164 || ' ' || coalesce(d.other_name, ''), 'not merged', d.other_bought_at, d.details::varchar, 'open', $1, now(), null
         from staging.int_customer_possible_duplicates as d
         where d.review_id not in (select review_id from ops.review_queue where status = 'open')`,
        [buildId],
      );
    }
    [{ n: reviews }] = (await queryOn<{ n: number }>(conn, `select count(*) as n from ops.review_queue where first_build_id = $1`, [buildId])) as [{ n: number }];
  }
  return { merges, reviews };
}

/** Numbers whose customer changed since the merges last recorded (staging/int_customer_phone_changes.sql). */
const PHONE_CHANGES = 'staging.int_customer_phone_changes';

/**
 * Once the merges are recorded, the next build no longer sees their numbers in PHONE_CHANGES:
 * an incremental model that reads them but did not succeed in this build (a partial selection
 * such as the fast build after deliveries, or a failure) would never move those numbers'
 * rows. Its merge state (ops.model_state) is dropped, so the next build rebuilds it whole.
 */
async function dropMissedMergeState(conn: DuckDBConnection, results: readonly ModelResult[], models: readonly Model[]): Promise<void> {
  const missed = models
    .filter((m) => m.materialized === 'incremental' && m.dependsOn.includes(PHONE_CHANGES) && !results.some((r) => r.model === m.id && r.status === 'success'))
    .map((m) => m.id);
  if (missed.length === 0) return;
  // Not built in this build, its table may be out of date: then assume numbers moved.
  const fresh = results.some((r) => r.model === PHONE_CHANGES && r.status === 'success');
  const [moved] = fresh ? await queryOn<{ n: number }>(conn, `select count(*) as n from ${PHONE_CHANGES}`) : [{ n: 1 }];
  if (Number(moved?.n ?? 0) > 0) await runOn(conn, `delete from ops.model_state where model in (${missed.map(literal).join(', ')})`);
}
