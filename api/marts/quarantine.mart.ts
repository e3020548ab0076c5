import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';

/** `GET /api/pipelines/quarantine?source=&reason=`: the newest quarantined records, raw text included. */
export const quarantineRoute: MartRoute = {
  url: '/api/pipelines/quarantine',
  summary: 'Quarantined records, newest first: source, location, line or record id, reason and raw text',
  roles: ['admin'],
  querystring: Type.Object({
    source: Type.Optional(Type.String({ maxLength: 64 })),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'the reason as /api/pipelines groups it (digits as N)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  }),
  tables: () => ['ops.quarantine'],
  async read(ctx) {
    const source = ctx.query.source as string | undefined;
    const reason = ctx.query.reason as string | undefined;
    const rows = await martQuery(
      ctx.wh,
      `select run_id, load_id, source, location, line_no, record_id, reason, left(raw_text, 2000) as raw_text, quarantined_at
       from ops.quarantine
       where ($2::varchar is null or source = $2) and ($3::varchar is null or regexp_replace(reason, '[0-9]+', 'N', 'g') = $3)
       order by quarantined_at desc, run_id desc, line_no
       limit $1`,
      [Number(ctx.query.limit ?? 100), source ?? null, reason ?? null],
    );
    return { rows, meta: { source: source ?? null, reason: reason ?? null } };
  },
};
