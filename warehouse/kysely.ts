import { Kysely } from 'kysely';
import type { Warehouse } from './db.ts';
import { DuckDBDialect } from './kysely-dialect.ts';
import type { OpsDatabase } from './ops-schema.ts';

const cache = new WeakMap<Warehouse, Kysely<OpsDatabase>>();

/** A typed Kysely query builder over the warehouse (one per warehouse). */
export function kyselyFor(wh: Warehouse): Kysely<OpsDatabase> {
  let db = cache.get(wh);
  if (!db) {
    db = new Kysely<OpsDatabase>({ dialect: new DuckDBDialect(wh) });
    cache.set(wh, db);
  }
  return db;
}
