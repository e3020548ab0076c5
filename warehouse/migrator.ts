import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DuckDBInstance } from '@duckdb/node-api';
import { WarehouseError } from './errors.ts';

/** The folder of migration files: `NNNN_name.sql`, applied in name order. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** What happened to one migration. */
export interface MigrationResult {
  readonly name: string;
  readonly status: 'applied' | 'already-applied' | 'failed' | 'not-run';
  readonly error?: string;
}

/** The outcome of a migrate call: a result per step, and the error that stopped it, if any. */
export interface MigrationOutcome {
  readonly results: MigrationResult[];
  readonly error?: WarehouseError;
}

/** Lists migration files in the order they apply. */
export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string; checksum: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const sql = fs.readFileSync(path.join(dir, f), 'utf8');
      return { name: f.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) };
    });
}

/**
 * Applies pending migrations in order, each in its own transaction with its record in
 * `ops.migrations`. Stops at the first failure and reports it instead of throwing, so the
 * caller sees which steps ran.
 */
export async function migrate(instance: DuckDBInstance, dir = MIGRATIONS_DIR): Promise<MigrationOutcome> {
  const conn = await instance.connect();
  const results: MigrationResult[] = [];
  try {
    await conn.run(`create schema if not exists ops;
      create table if not exists ops.migrations (name varchar primary key, checksum varchar not null, applied_at timestamptz not null default now())`);
    const applied = new Set(
      (await conn.runAndReadAll('select name from ops.migrations')).getRowObjectsJS().map((r) => String(r.name)),
    );
    const pending = listMigrations(dir);
    for (let i = 0; i < pending.length; i++) {
      const m = pending[i]!;
      if (applied.has(m.name)) {
        results.push({ name: m.name, status: 'already-applied' });
        continue;
      }
      try {
        await conn.run('begin transaction');
        await conn.run(m.sql);
        await conn.run('insert into ops.migrations (name, checksum) values ($1, $2)', [m.name, m.checksum]);
        await conn.run('commit');
        results.push({ name: m.name, status: 'applied' });
      } catch (err) {
        await conn.run('rollback').catch(() => undefined);
        const message = (err as Error).message.split('\n')[0] ?? String(err);
        results.push({ name: m.name, status: 'failed', error: message });
        for (const rest of pending.slice(i + 1)) results.push({ name: rest.name, status: 'not-run' });
        return {
          results,
          error: new WarehouseError('WH_MIGRATION_FAILED', `Migration ${m.name} failed: ${message}. The warehouse stays at the previous migration; fix the migration file and start again.`, { cause: err }),
        };
      }
    }
    return { results };
  } finally {
    conn.closeSync();
  }
}
