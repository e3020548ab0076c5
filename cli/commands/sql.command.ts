import os from 'node:os';
import { runSandboxedQuery, type SandboxResult } from '../../api/sql-sandbox.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import type { Command } from '../command.ts';
import { intOption, UsageError } from '../errors.ts';
import { formatCsv, formatTable } from '../format-table.ts';
import { viaServer } from '../server-client.ts';

/** The JSON answer of POST /api/sql. */
interface SqlAnswer {
  query_id: string;
  columns: SandboxResult['columns'];
  rows: Record<string, unknown>[];
  truncated: boolean;
  elapsed_ms: number;
}

/** `parley sql`: one read-only query through the API's sandbox (through the running server when there is one). */
export const sqlCommand: Command = {
  name: 'sql',
  summary: 'run one read-only query (same sandbox as the API)',
  usage: 'parley sql "<query>" [--format table|json|csv] [--limit 1000]',
  options: { format: { type: 'string' }, limit: { type: 'string' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length !== 1) throw new UsageError('sql takes one query in quotes, e.g. parley sql "select * from marts.dim_agents".');
    const format = (values.format as string | undefined) ?? 'table';
    if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be table, json or csv (got "${format}").`);
    const limit = intOption(values, 'limit', 1000);
    const sql = positionals[0]!;
    const result = await viaServer<SandboxResult>(
      ctx.config,
      async (server) => {
        const a = await server.request<SqlAnswer>('POST', '/api/sql', { sql, limit });
        return { queryId: a.query_id, columns: a.columns, rows: a.rows, truncated: a.truncated, elapsedMs: a.elapsed_ms };
      },
      async () => runSandboxedQuery(await openWarehouse(ctx.config), sql, { limit, signal: ctx.signal, actor: `cli:${os.userInfo().username}`, channel: 'cli', log: ctx.log }),
    );
    const names = result.columns.map((c) => c.name);
    if (format === 'json') ctx.out.write(`${JSON.stringify(result.rows, null, 2)}\n`);
    else if (format === 'csv') ctx.out.write(`${formatCsv(names, result.rows)}\n`);
    else ctx.out.write(`${formatTable(names, result.rows)}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? `, truncated at ${limit}` : ''}, ${result.elapsedMs.toFixed(0)} ms)\n`);
    if (result.truncated && format !== 'table') ctx.err.write(`note: result truncated at ${limit} rows; raise --limit to see more\n`);
    return 0;
  },
};
