import { SOURCES } from '../../pipelines/registry.ts';
import type { Source } from '../../pipelines/source.ts';
import { queryOn } from '../db.ts';
import { ident } from '../values.ts';
import type { CheckContext, CheckResult, QualityCheck } from './check.ts';
import { readQualityConfig } from './quality-config.ts';

/** The newest event time of each source with data (`Source.freshness`). */
async function newestEvents(ctx: CheckContext, sources: readonly Source[]): Promise<{ source: Source; newest: Date | null }[]> {
  const out: { source: Source; newest: Date | null }[] = [];
  for (const source of sources) {
    if (!source.freshness) continue;
    const [schema, table] = source.freshness.table.split('.') as [string, string];
    const exists = (await queryOn(ctx.conn, 'select 1 from duckdb_tables() where schema_name = $1 and table_name = $2', [schema, table])).length > 0;
    const [row] = exists ? await queryOn<{ newest: Date | null }>(ctx.conn, `select max(${ident(source.freshness.column)}) as newest from ${ident(schema)}.${ident(table)}${source.freshness.where ? ` where ${source.freshness.where}` : ''}`) : [];
    out.push({ source, newest: row?.newest ?? null });
  }
  return out;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 10) / 10;

/**
 * Freshness per source, from the newest event in its data (`Source.freshness`), with two
 * thresholds per source in `config/quality.json`:
 * - `freshness:<source>` (warn): hours between now and the newest event, past
 *   `warn_age_hours`: data stopped arriving. What is there is still consistent, and a
 *   backfill of old files is old by nature, so this only warns.
 * - `freshness_lag:<source>` (error): hours the source is behind the freshest source, past
 *   `error_lag_hours`. Marts that join sources are then wrong (with the SCRM log days behind
 *   the webhooks every recent burst looks unanswered), so the build fails and keeps the
 *   previous marts. Sources with `error_lag_hours: null` (CRM records, chat exports: their
 *   newest record is old by nature) have no lag check.
 * A source without data yet is skipped.
 */
export function freshnessCheck(sources: readonly Source[] = SOURCES): QualityCheck {
  return {
    name: 'freshness',
    level: 'error',
    async run(ctx): Promise<CheckResult[]> {
      const settings = readQualityConfig(ctx.config).freshness;
      const newest = await newestEvents(ctx, sources);
      const freshest = Math.max(...newest.map((n) => n.newest?.getTime() ?? -Infinity));
      const results: CheckResult[] = [];
      for (const { source, newest: at } of newest) {
        const limits = settings[source.name] ?? settings.default!;
        if (!at) {
          results.push({ check_name: `freshness:${source.name}`, level: 'warn', status: 'skipped', observed: null, threshold: limits.warn_age_hours, details: `${source.name} has no data yet` });
          continue;
        }
        const age = hours(ctx.now.getTime() - at.getTime());
        const lag = hours(freshest - at.getTime());
        results.push({
          check_name: `freshness:${source.name}`,
          level: 'warn',
          status: age > limits.warn_age_hours ? 'warn' : 'pass',
          observed: age,
          threshold: limits.warn_age_hours,
          details: `newest ${source.name} event ${at.toISOString()} is ${age} h old (warn after ${limits.warn_age_hours} h)${age > limits.warn_age_hours ? '; check that the source still runs' : ''}`,
        });
        if (limits.error_lag_hours === null) continue;
        results.push({
          check_name: `freshness_lag:${source.name}`,
          level: 'error',
          status: lag > limits.error_lag_hours ? 'fail' : 'pass',
          observed: lag,
          threshold: limits.error_lag_hours,
          details: `${source.name} is ${lag} h behind the freshest source (fail after ${limits.error_lag_hours} h)${lag > limits.error_lag_hours ? '; load the missing data, or raise error_lag_hours in config/quality.json if this source is slow by nature' : ''}`,
        });
      }
      return results;
    },
  };
}
