import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';
import { isObject } from './config-checks.ts';

/** `config/churn.json` as written: the recommended action per risk band. */
export interface ChurnFile {
  readonly description?: string;
  readonly actions: { readonly high: string; readonly medium: string; readonly low: string };
}

/** Problems with a churn config (empty when it is fine). */
export function validateChurn(value: unknown): string[] {
  if (!isObject(value) || !isObject(value.actions)) return ['the file must hold an object with "actions": {high, medium, low}'];
  const actions = value.actions;
  return (['high', 'medium', 'low'] as const).filter((b) => typeof actions[b] !== 'string' || (actions[b] as string).trim() === '').map((b) => `"actions.${b}" must be the action recommended for ${b} risk`);
}

/** Reads and validates `config/churn.json`. */
export function readChurn(config: Pick<Config, 'configDir'>): ChurnFile {
  return readJsonConfig<ChurnFile>(config, 'churn', validateChurn);
}
