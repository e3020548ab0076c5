import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';

/** Hours after a source's newest event before a warning and before an error. */
export interface FreshnessThresholds {
  readonly warn_after_hours: number;
  readonly error_after_hours: number;
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
      const warn = th?.warn_after_hours;
      const error = th?.error_after_hours;
      if (typeof warn !== 'number' || typeof error !== 'number' || warn <= 0 || error < warn) {
        problems.push(`"freshness.${name}" needs warn_after_hours > 0 and error_after_hours >= warn_after_hours`);
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
