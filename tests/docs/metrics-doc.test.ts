import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/config.ts';
import { closeAllWarehouses, type Warehouse } from '../../warehouse/db.ts';
import { Scenario, serviceWarehouse } from '../helpers/service-scenario.ts';

/** `## marts.<table>` sections of docs/metrics.md -> their `| \`column\` | TYPE |` rows. */
function documented(): Map<string, Map<string, string>> {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'metrics.md'), 'utf8');
  const tables = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    const heading = /^## marts\.([a-z_]+)\s*$/.exec(line);
    if (heading) tables.set(heading[1]!, (current = new Map()));
    else if (line.startsWith('## ')) current = undefined;
    const row = /^\| `([a-z0-9_]+)` \| ([A-Z0-9_[\](), ]+) \|/.exec(line);
    if (row && current) current.set(row[1]!, row[2]!.trim());
  }
  return tables;
}

describe('docs/metrics.md', () => {
  let wh: Warehouse;
  let columns: { table_name: string; column_name: string; data_type: string }[];

  beforeAll(async () => {
    ({ wh } = await serviceWarehouse());
    const s = new Scenario(wh);
    s.inbound('85291990001', '2026-11-16 10:00:00', 'hi');
    s.agent('85291990001', '2026-11-16 10:01:00', 'a1');
    await s.load();
    expect((await s.build()).status).toBe('success');
    columns = await wh.query(`select table_name, column_name, data_type from duckdb_columns() where schema_name = 'marts' order by table_name, column_index`);
  });
  afterAll(closeAllWarehouses);

  it('documents every column of every marts table with its type', () => {
    const docs = documented();
    const missing = columns.filter((c) => !docs.get(c.table_name)?.has(c.column_name)).map((c) => `${c.table_name}.${c.column_name}`);
    expect(missing).toEqual([]);
    const wrongType = columns
      .filter((c) => docs.get(c.table_name)!.get(c.column_name) !== c.data_type.replace('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ'))
      .map((c) => `${c.table_name}.${c.column_name}: documented ${docs.get(c.table_name)!.get(c.column_name)}, is ${c.data_type}`);
    expect(wrongType).toEqual([]);
  });

  it('documents no column that a built marts table does not have', () => {
    const built = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    const builtTables = new Set(columns.map((c) => c.table_name));
    const stale = [...documented()].filter(([t]) => builtTables.has(t)).flatMap(([t, cols]) => [...cols.keys()].map((c) => `${t}.${c}`)).filter((c) => !built.has(c));
    expect(stale).toEqual([]);
  });
});
