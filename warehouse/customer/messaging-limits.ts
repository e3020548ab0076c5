import type { Config } from '../../config/config.ts';
import { readJsonConfig } from '../../config/json-config.ts';
import { isNumberIn, isObject } from './config-checks.ts';

/** `config/messaging_limits.json` as written. */
export interface MessagingLimitsFile {
  readonly description?: string;
  readonly daily_cap_per_number: number;
  /** phone_number_id -> its own daily cap. */
  readonly per_number?: Readonly<Record<string, number>>;
  readonly window_hours: number;
}

/** Problems with a messaging-limits file (empty when it is fine). */
export function validateMessagingLimits(value: unknown): string[] {
  if (!isObject(value)) return ['the file must hold an object with "daily_cap_per_number" and "window_hours"'];
  const problems: string[] = [];
  if (!isNumberIn(value.daily_cap_per_number, 1, 10_000_000) || !Number.isInteger(value.daily_cap_per_number)) problems.push('"daily_cap_per_number" must be a whole number of messages (Meta tiers: 250, 1000, 10000, 100000)');
  if (value.per_number !== undefined) {
    if (!isObject(value.per_number)) problems.push('"per_number" must be an object of phone_number_id -> daily cap');
    else for (const [id, cap] of Object.entries(value.per_number)) if (!isNumberIn(cap, 1, 10_000_000) || !Number.isInteger(cap)) problems.push(`"per_number.${id}" must be a whole number of messages`);
  }
  if (!isNumberIn(value.window_hours, 1, 168)) problems.push('"window_hours" must be a number of hours (Meta: 24)');
  return problems;
}

/** Reads and validates `config/messaging_limits.json`. */
export function readMessagingLimits(config: Pick<Config, 'configDir'>): MessagingLimitsFile {
  return readJsonConfig<MessagingLimitsFile>(config, 'messaging_limits', validateMessagingLimits);
}
