import { validate as validCron } from 'node-cron';
import type { Config } from '../config/config.ts';
import { readJsonConfig } from '../config/json-config.ts';

/**
 * `config/schedule.json`: when the server runs the pipelines (cron expressions in PARLEY_TZ).
 * `sources` overrides the schedule of single sources ("off" leaves a source to manual runs).
 */
export interface ScheduleConfig {
  /** Ingest of every source without an override, then an incremental build. */
  readonly pipelines: string;
  readonly sources: Readonly<Record<string, string>>;
  /** When the weekly reports of the week just ended are written to the archive. */
  readonly weekly_reports: string;
  readonly retry: { readonly attempts: number; readonly base_seconds: number; readonly max_seconds: number };
}

/** Problems with a schedule config value (empty when fine). */
export function checkScheduleConfig(value: unknown, sourceNames: readonly string[]): string[] {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['the file must hold a JSON object'];
  const v = value as Record<string, unknown>;
  const cron = (key: string, x: unknown) => {
    if (typeof x !== 'string' || !validCron(x)) problems.push(`${key} must be a cron expression such as "*/5 * * * *" (got ${JSON.stringify(x)})`);
  };
  cron('pipelines', v.pipelines);
  cron('weekly_reports', v.weekly_reports);
  if (v.sources === null || typeof v.sources !== 'object' || Array.isArray(v.sources)) problems.push('sources must be an object of source name -> cron expression or "off"');
  else {
    for (const [name, expr] of Object.entries(v.sources)) {
      if (!sourceNames.includes(name)) problems.push(`sources.${name} is not a known source (known: ${sourceNames.join(', ')})`);
      if (expr !== 'off') cron(`sources.${name}`, expr);
    }
  }
  const r = v.retry as Record<string, unknown> | undefined;
  if (!r || typeof r !== 'object') problems.push('retry must be {"attempts", "base_seconds", "max_seconds"}');
  else {
    for (const key of ['attempts', 'base_seconds', 'max_seconds']) {
      if (!Number.isInteger(r[key]) || (r[key] as number) < 0) problems.push(`retry.${key} must be a whole number >= 0`);
    }
  }
  return problems;
}

/** Reads and checks `config/schedule.json`. */
export function readScheduleConfig(config: Pick<Config, 'configDir'>, sourceNames: readonly string[]): ScheduleConfig {
  return readJsonConfig<ScheduleConfig>(config, 'schedule', (v) => checkScheduleConfig(v, sourceNames));
}
