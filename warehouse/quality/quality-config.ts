import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';

/** Freshness limits of a source (see freshness.ts). */
export interface FreshnessThresholds {
  /** Warn when the newest event is older than this (hours before now). */
  readonly warn_age_hours: number;
  /**
   * Fail the build when the source is this many hours behind the freshest source; null for
   * sources whose newest record is old by nature (CRM edits, one-off chat exports).
   */
  readonly error_lag_hours: number | null;
}

/** `config/quality.json`. */
export interface QualityConfig {
  /** Per source name, plus `default`. */
  readonly freshness: Readonly<Record<string, FreshnessThresholds>>;
  /** Messages compared raw -> marts by the daily sample check. */
  readonly sample_size: number;
}

function validate(value: unknown): string[] {
  if (!value || typeof value !== 'object') return ['the file must hold an object'];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  const freshness = v.freshness as Record<string, unknown> | undefined;
  if (!freshness || typeof freshness !== 'object') problems.push('"freshness" must be an object with "default" and optional per-source thresholds');
  else {
    if (!freshness.default) problems.push('"freshness.default" is missing');
    for (const [name, t] of Object.entries(freshness)) {
      const th = t as Record<string, unknown>;
      const warn = th?.warn_age_hours;
      const error = th?.error_lag_hours;
      if (typeof warn !== 'number' || warn <= 0 || (error !== null && (typeof error !== 'number' || error <= 0))) {
        problems.push(`"freshness.${name}" needs warn_age_hours above 0 and error_lag_hours above 0 or null (no lag check)`);
      }
    }
  }
  if (!(Number.isInteger(v.sample_size) && (v.sample_size as number) >= 0)) problems.push('"sample_size" must be a whole number (0 turns the sample check off)');
  return problems;
}

/** Reads and validates `config/quality.json`. */
export function readQualityConfig(config: Pick<Config, 'configDir'>): QualityConfig {
  return readJsonConfig<QualityConfig>(config, 'quality', validate);
}
