import fs from 'node:fs';
import path from 'node:path';
import { configFor, type Config } from '../../config/config.ts';
import { openWarehouse, type Warehouse } from '../../warehouse/db.ts';
import { tempDir } from './temp-dirs.ts';

/** Where the repository's test fixtures are. */
export const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');

/** A temp folder with a landing folder and a config pointing at both. */
export function tempConfig(env: Record<string, string> = {}): { dir: string; config: Config } {
  const dir = tempDir('parley-test-');
  fs.mkdirSync(path.join(dir, 'landing'), { recursive: true });
  return { dir, config: configFor(dir, env) };
}

/** A fresh warehouse in a temp folder. */
export async function tempWarehouse(env: Record<string, string> = {}): Promise<{ dir: string; config: Config; wh: Warehouse }> {
  const { dir, config } = tempConfig(env);
  return { dir, config, wh: await openWarehouse(config) };
}

/** One number from a `select count(*) as n ...` style query. */
export async function count(wh: Warehouse, sql: string): Promise<number> {
  const [row] = await wh.query<{ n: number }>(sql);
  return Number(row?.n ?? 0);
}
