import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WarehouseError } from './errors.ts';

/** The folder of SQL models: `models/<layer>/<name>.sql`, the layer being the schema. */
export const MODELS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'models');

/** How a model's table is (re)built. */
export type Materialization = 'table' | 'view' | 'incremental';

/** One SQL model file, parsed. */
export interface Model {
  /** `<layer>.<name>`, e.g. `staging.stg_messages`. */
  readonly id: string;
  readonly schema: string;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly materialized: Materialization;
  /** Grain and key from the header comment (documentation, and the incremental merge key). */
  readonly grain: string;
  readonly key: readonly string[];
  /**
   * Columns an incremental build replaces by (`-- merge_on:`, default the key): every
   * existing row whose values appear among the new rows is deleted before they are
   * inserted, so a model can recompute a whole conversation instead of single rows.
   */
  readonly mergeOn: readonly string[];
  /**
   * For a model that keeps the first of several deliveries of a key (`-- keep_first_by:`,
   * columns in the order they rank rows): an incremental merge keeps an existing row that
   * ranks first or level with a new row of the same key, as a full build would, instead of
   * replacing it by a later re-delivery. Empty: new rows replace existing ones.
   */
  readonly keepFirstBy: readonly string[];
  /**
   * A CTE of the model (`-- merge_scope:`) listing the merge_on values of existing rows that
   * may have changed or gone: an incremental build deletes them before inserting the new
   * rows, so a recomputed neighbourhood can also lose rows. Such a model's rows depend on
   * other rows, so deletes made outside a build (retention, erasure) rebuild it whole.
   */
  readonly mergeScope?: string;
  /** Other models this one reads, by id. */
  readonly dependsOn: readonly string[];
  /** Tables it reads that no model builds (`raw.*`, `ops.*`, ...), by `schema.name`. */
  readonly reads: readonly string[];
}

/** Schemas whose tables a model may read; a `schema.name` elsewhere is not a table reference. */
const TABLE_SCHEMAS = new Set(['raw', 'staging', 'marts', 'ops']);

/** Reads every model under `dir` and works out what each references. */
export function loadModels(dir = MODELS_DIR): Model[] {
  const drafts: Omit<Model, 'dependsOn' | 'reads'>[] = [];
  if (!fs.existsSync(dir)) return [];
  for (const layer of fs.readdirSync(dir).sort()) {
    const layerDir = path.join(dir, layer);
    if (!fs.statSync(layerDir).isDirectory()) continue;
    for (const file of fs.readdirSync(layerDir).filter((f) => f.endsWith('.sql')).sort()) {
      drafts.push(parseModel(layer, path.join(layerDir, file)));
    }
  }
  const ids = new Set(drafts.map((d) => d.id));
  return drafts.map((d) => ({ ...d, dependsOn: references(d.sql, ids).filter((r) => r !== d.id), reads: tableReferences(d.sql).filter((r) => !ids.has(r)) }));
}

/** Parses one model file: header comments (`-- key: value`) then the SELECT. */
export function parseModel(schema: string, file: string): Omit<Model, 'dependsOn' | 'reads'> {
  const name = path.basename(file, '.sql');
  if (!/^[a-z][a-z0-9_]*$/.test(name) || !/^[a-z][a-z0-9_]*$/.test(schema)) {
    throw new WarehouseError('WH_MODEL_INVALID', `Model file ${file}: names must be lowercase letters, digits and underscores.`);
  }
  const text = fs.readFileSync(file, 'utf8');
  const header: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^--\s*([a-z_]+):\s*(.*)$/.exec(line.trim());
    if (m) header[m[1]!] = m[2]!.trim();
    else if (line.trim() !== '' && !line.trim().startsWith('--')) break;
  }
  const materialized = (header.materialized ?? 'table') as Materialization;
  if (!['table', 'view', 'incremental'].includes(materialized)) {
    throw new WarehouseError('WH_MODEL_INVALID', `Model ${schema}.${name}: materialized must be table, view or incremental, not "${materialized}".`);
  }
  const key = (header.key ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (materialized === 'incremental' && key.length === 0) {
    throw new WarehouseError('WH_MODEL_INVALID', `Model ${schema}.${name} is incremental, so its header needs "-- key: column[, column]" to merge on.`);
  }
  const mergeOn = (header.merge_on ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const keepFirstBy = (header.keep_first_by ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (keepFirstBy.length > 0 && (materialized !== 'incremental' || mergeOn.length > 0)) {
    throw new WarehouseError('WH_MODEL_INVALID', `Model ${schema}.${name}: keep_first_by is for incremental models that merge on their key (no merge_on).`);
  }
  const sql = text.trim().replace(/;\s*$/, '');
  const mergeScope = header.merge_scope;
  if (mergeScope !== undefined && (materialized !== 'incremental' || !/^[a-z_][a-z0-9_]*$/.test(mergeScope) || !FINAL_SELECT.test(sql))) {
    throw new WarehouseError('WH_MODEL_INVALID', `Model ${schema}.${name}: "-- merge_scope: <cte>" needs an incremental model whose SQL ends with "select * from final".`);
  }
  if (mergeScope !== undefined && keepFirstBy.length > 0) {
    // The scope's rows are deleted before the keep-first check, so a re-delivery could replace the first delivery.
    throw new WarehouseError('WH_MODEL_INVALID', `Model ${schema}.${name}: keep_first_by and merge_scope cannot be combined (the scope would delete the first delivery keep_first_by keeps).`);
  }
  return { id: `${schema}.${name}`, schema, name, file, sql, materialized, grain: header.grain ?? '', key, mergeOn: mergeOn.length > 0 ? mergeOn : key, keepFirstBy, ...(mergeScope ? { mergeScope } : {}) };
}

/** The last statement of a model in house style: what `merge_scope` replaces to select the scope CTE instead. */
const FINAL_SELECT = /\bselect\s+\*\s+from\s+final\s*$/i;

/** A model's rendered SQL selecting its merge scope CTE instead of `final`. */
export function scopeQuery(sql: string, scope: string): string {
  if (!FINAL_SELECT.test(sql)) throw new WarehouseError('WH_MODEL_INVALID', `A model with "-- merge_scope: ${scope}" must end with "select * from final".`);
  return sql.replace(FINAL_SELECT, `select * from ${scope}`);
}

/** Model ids referenced as `schema.name` in SQL (comments and string literals ignored). */
export function references(sql: string, known: ReadonlySet<string>): string[] {
  return qualifiedNames(sql).filter((id) => known.has(id));
}

/** Every `schema.name` in SQL whose schema is a warehouse schema (raw, staging, marts, ops). */
export function tableReferences(sql: string): string[] {
  return qualifiedNames(sql).filter((id) => TABLE_SCHEMAS.has(id.split('.')[0]!));
}

function qualifiedNames(sql: string): string[] {
  const code = sql.replace(/--[^\n]*/g, ' ').replace(/'(?:[^']|'')*'/g, "''");
  const found = new Set<string>();
  for (const m of code.matchAll(/\b([a-z_][a-z0-9_]*)\s*\.\s*([a-z_][a-z0-9_]*)\b/gi)) found.add(`${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}`);
  return [...found].sort();
}

/** Ids of the models a model reads, directly or not (itself not included), sorted. */
export function upstreamOf(id: string, models: readonly Model[]): string[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  const found = new Set<string>();
  const stack = [...(byId.get(id)?.dependsOn ?? [])];
  while (stack.length > 0) {
    const dep = byId.get(stack.pop()!);
    if (!dep || found.has(dep.id)) continue;
    found.add(dep.id);
    stack.push(...dep.dependsOn);
  }
  return [...found].sort();
}

/**
 * Orders models so each comes after what it reads (ties by id, so the order is stable).
 * A cycle is an error naming the models in it.
 */
export function orderModels(models: readonly Model[]): Model[] {
  const byId = new Map(models.map((m) => [m.id, m]));
  const indegree = new Map(models.map((m) => [m.id, m.dependsOn.filter((d) => byId.has(d)).length]));
  const dependents = new Map<string, string[]>();
  for (const m of models) for (const d of m.dependsOn) if (byId.has(d)) dependents.set(d, [...(dependents.get(d) ?? []), m.id]);
  const ready = models.filter((m) => indegree.get(m.id) === 0).map((m) => m.id).sort();
  const ordered: Model[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    ordered.push(byId.get(id)!);
    for (const next of dependents.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) {
        ready.push(next);
        ready.sort();
      }
    }
  }
  if (ordered.length < models.length) {
    const stuck = models.filter((m) => !ordered.includes(m)).map((m) => m.id);
    throw new WarehouseError('WH_MODEL_CYCLE', `Models reference each other in a cycle: ${describeCycle(stuck, byId)}. Break the cycle so one of them no longer selects from the other.`);
  }
  return ordered;
}

function describeCycle(stuck: string[], byId: Map<string, Model>): string {
  // Walk dependencies inside the stuck set until an id repeats: that loop is the cycle.
  const inStuck = new Set(stuck);
  const path: string[] = [];
  let current = stuck[0]!;
  while (!path.includes(current)) {
    path.push(current);
    current = byId.get(current)!.dependsOn.find((d) => inStuck.has(d)) ?? current;
  }
  return [...path.slice(path.indexOf(current)), current].join(' -> ');
}
