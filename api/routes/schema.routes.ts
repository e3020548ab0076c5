import { Type } from 'typebox';
import { loadModels } from '../../warehouse/model-files.ts';
import type { ApiApp, AppContext } from '../app-context.ts';
import { answeredNotModified, currentDataVersion } from '../etag.ts';
import { readMetricsDocs } from '../metrics-docs.ts';
import { errorResponses, Nullable } from '../schemas.ts';

const Column = Type.Object({ name: Type.String(), type: Type.String(), nullable: Type.Boolean(), description: Nullable(Type.String()) });
const Table = Type.Object({ schema: Type.String(), name: Type.String(), kind: Type.String(), grain: Nullable(Type.String()), description: Nullable(Type.String()), columns: Type.Array(Column) });

/** Schemas the console lists: marts (the analyst contract) and staging. */
const LISTED = ['marts', 'staging'];

/** `GET /api/schema`: tables and columns for the SQL console, with descriptions from docs/metrics.md. */
export async function schemaRoutes(app: ApiApp, ctx: AppContext): Promise<void> {
  app.get(
    '/api/schema',
    {
      config: { roles: ['analyst'] },
      schema: {
        summary: 'Mart and staging tables with column types and the descriptions of docs/metrics.md',
        tags: ['sql'],
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ data_version: Type.Integer(), tables: Type.Array(Table) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const version = await currentDataVersion(ctx.wh);
      if (answeredNotModified(request, reply, version)) return reply;
      const columns = await ctx.wh.query<{ schema_name: string; table_name: string; column_name: string; data_type: string; is_nullable: boolean; kind: string }>(
        `select c.schema_name, c.table_name, c.column_name, c.data_type, c.is_nullable,
                case when v.view_name is null then 'table' else 'view' end as kind
         from duckdb_columns() as c
         left join duckdb_views() as v on v.schema_name = c.schema_name and v.view_name = c.table_name
         where c.schema_name in (${LISTED.map((s) => `'${s}'`).join(', ')}) and not c.internal
         order by c.schema_name = 'staging', c.schema_name, c.table_name, c.column_index`,
      );
      const docs = readMetricsDocs();
      const grains = new Map(loadModels().map((m) => [m.id, m.grain || null]));
      const tables = new Map<string, { schema: string; name: string; kind: string; grain: string | null; description: string | null; columns: { name: string; type: string; nullable: boolean; description: string | null }[] }>();
      for (const c of columns) {
        const id = `${c.schema_name}.${c.table_name}`;
        const doc = docs.get(id);
        let t = tables.get(id);
        if (!t) {
          t = { schema: c.schema_name, name: c.table_name, kind: c.kind, grain: grains.get(id) ?? null, description: doc?.description ?? null, columns: [] };
          tables.set(id, t);
        }
        t.columns.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable, description: doc?.columns.get(c.column_name) ?? null });
      }
      return { data_version: version, tables: [...tables.values()] };
    },
  );
}
