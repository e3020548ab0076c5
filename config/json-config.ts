import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { ConfigError } from './errors.ts';

/**
 * Reads `config/<name>.json`, checks it with `validate` (which returns a list of
 * problems, empty when fine) and returns it frozen. Every JSON config file goes
 * through here so a bad file is one clear error at start.
 */
export function readJsonConfig<T>(config: Pick<Config, 'configDir'>, name: string, validate: (value: unknown) => string[]): T {
  const file = path.join(config.configDir, `${name}.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('CFG_INVALID_FILE', `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}. Restore it from the repository or point PARLEY_CONFIG_DIR at a folder that has it.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError('CFG_INVALID_FILE', `${file} is not valid JSON: ${(err as Error).message}.`);
  }
  const problems = validate(value);
  if (problems.length > 0) {
    throw new ConfigError('CFG_INVALID_FILE', `${file} is invalid: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`);
  }
  return deepFreeze(value) as T;
}

function deepFreeze(value: unknown): unknown {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
