import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../../config/config.ts';
import { readJsonConfig } from '../../../config/json-config.ts';
import { PipelineError } from '../../errors.ts';

/** `config/business.json`: the names the business side writes under in exported chats. */
export interface BusinessConfig {
  readonly business_names: readonly string[];
}

/**
 * A name as compared: Unicode-normalised (NFKC), without direction marks or the "~ " WhatsApp
 * puts before people not in the phone's contacts, spaces collapsed, lower case.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/^~\s*/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Checks `config/business.json`; returns its problems. */
export function validateBusinessConfig(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['must be an object like {"business_names": ["Shirley Tam"]}'];
  const names = (value as Record<string, unknown>).business_names;
  if (!Array.isArray(names)) return ['"business_names" must be a list of names'];
  return names.flatMap((n, i) => (typeof n === 'string' && n.trim() !== '' && n.length <= 200 ? [] : [`business_names[${i}] must be a non-empty name of at most 200 characters`]));
}

/**
 * The business side's names from `config/business.json` (used when `--business` is not
 * given; a missing file counts as none). No name at all is a usage error that says how to
 * give one.
 */
export function resolveBusinessNames(config: Pick<Config, 'configDir'>): string[] {
  const file = path.join(config.configDir, 'business.json');
  const names = fs.existsSync(file) ? readJsonConfig<BusinessConfig>(config, 'business', validateBusinessConfig).business_names.map((n) => n.trim()) : [];
  if (names.length === 0) {
    throw new PipelineError(
      'PIPE_NO_BUSINESS_NAME',
      `whatsapp-export needs the name your side writes under in the exported chats: pass --business "NAME" or list it in ${file} as {"business_names": ["NAME"]}.`,
    );
  }
  return names;
}
