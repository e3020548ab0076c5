import { SOURCES } from '../../pipelines/registry.ts';
import type { Source } from '../../pipelines/source.ts';
import { queryOn } from '../db.ts';
import { ident } from '../values.ts';
import type { CheckResult, QualityCheck } from './check.ts';
import { readQualityConfig } from './quality-config.ts';

/**
 * Freshness per source: hours between now and the newest event in the source's data
 * (`Source.freshness`), against the warn and error thresholds of `config/quality.json`.
 * A source without data yet is skipped. Stale data fails the build on purpose: marts built
 * while, say, the SCRM feed is days behind would show every recent burst as unanswered.
 */
export function freshnessCheck(sources: readonly Source[] = SOURCES): QualityCheck {
  return {
    name: 'freshness',
    level: 'error',
    async run(ctx): Promise<CheckResult[]> {
      const settings = readQualityConfig(ctx.config).freshness;
      const results: CheckResult[] = [];
      for (const source of sources) {
        if (!source.freshness) continue;
        const limits = settings[source.name] ?? settings.default!;
        const name = `freshness:${source.name}`;
        const [schema, table] = source.freshness.table.split('.') as [string, string];
        const exists = (await queryOn(ctx.conn, 'select 1 from duckdb_tables() where schema_name = $1 and table_name = $2', [schema, table])).length > 0;
        const [row] = exists
          ? await queryOn<{ newest: Date | null }>(ctx.conn, `select max(${ident(source.freshness.column)}) as newest from ${ident(schema)}.${ident(table)}`)
          : [{ newest: null }];
        if (!row?.newest) {
          results.push({ check_name: name, level: 'error', status: 'skipped', observed: null, threshold: limits.error_after_hours, details: `${source.name} has no data yet` });
          continue;
        }
        const ageHours = (ctx.now.getTime() - row.newest.getTime()) / 3_600_000;
        const status = ageHours > limits.error_after_hours ? 'fail' : ageHours > limits.warn_after_hours ? 'warn' : 'pass';
        results.push({
          check_name: name,
          level: 'error',
          status,
          observed: Math.round(ageHours * 10) / 10,
          threshold: limits.error_after_hours,
          details: `newest ${source.name} event ${row.newest.toISOString()} is ${ageHours.toFixed(1)} h old (warn after ${limits.warn_after_hours} h, error after ${limits.error_after_hours} h)${status === 'pass' ? '' : `; check that the source still runs, or change the thresholds in config/quality.json`}`,
        });
      }
      return results;
    },
  };
}
