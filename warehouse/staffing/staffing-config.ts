import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';

/** `config/staffing.json`: the defaults of the staffing model. */
export interface StaffingConfig {
  readonly target_seconds: number;
  readonly target_share: number;
  readonly weeks: number;
  /** null: measured from the data. */
  readonly aht_seconds: number | null;
  readonly fallback_aht_seconds: number;
  /** Gaps between an agent's replies longer than this are idle time, not handling. */
  readonly aht_max_gap_seconds: number;
  readonly aht_min_samples: number;
}

/** Problems with a staffing parameter set (empty when fine); shared by the config file and the API. */
export function staffingProblems(v: Partial<Record<keyof StaffingConfig, unknown>>): string[] {
  const problems: string[] = [];
  const positive = (name: keyof StaffingConfig, max: number) => {
    const x = v[name];
    if (x !== undefined && x !== null && !(typeof x === 'number' && Number.isFinite(x) && x > 0 && x <= max)) problems.push(`${name} must be a number above 0 and at most ${max} (got ${JSON.stringify(x)})`);
  };
  positive('target_seconds', 86_400);
  positive('aht_seconds', 86_400);
  positive('fallback_aht_seconds', 86_400);
  positive('aht_max_gap_seconds', 86_400);
  const share = v.target_share;
  if (share !== undefined && !(typeof share === 'number' && share > 0 && share < 1)) problems.push(`target_share must be a share above 0 and below 1, e.g. 0.8 (got ${JSON.stringify(share)})`);
  for (const name of ['weeks', 'aht_min_samples'] as const) {
    const n = v[name];
    if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 520)) problems.push(`${name} must be a whole number from 1 to 520 (got ${JSON.stringify(n)})`);
  }
  return problems;
}

/** Reads and validates `config/staffing.json`. */
export function readStaffingConfig(config: Pick<Config, 'configDir'>): StaffingConfig {
  return readJsonConfig<StaffingConfig>(config, 'staffing', (value) => {
    if (!value || typeof value !== 'object') return ['the file must hold an object'];
    const v = value as Record<string, unknown>;
    const missing = ['target_seconds', 'target_share', 'weeks', 'fallback_aht_seconds', 'aht_max_gap_seconds', 'aht_min_samples'].filter((k) => v[k] === undefined);
    return [...missing.map((k) => `"${k}" is missing`), ...staffingProblems(v)];
  });
}
