import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';

/** `GET /api/churn?risk=`: customers by churn risk, from `marts.churn_scores`. */
export const churnRoute: MartRoute = {
  url: '/api/churn',
  summary: 'Customers at risk of churning, highest score first, with the recommended action',
  roles: ['manager'],
  querystring: Type.Object({
    risk: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })),
  }),
  tables: () => ['marts.churn_scores'],
  async read(ctx) {
    const risk = ctx.query.risk as string | undefined;
    const limit = Number(ctx.query.limit ?? 500);
    const rows = await martQuery(
      ctx.wh,
      `select * from marts.churn_scores ${risk ? 'where risk = $2' : ''} order by score desc, customer_id limit $1`,
      risk ? [limit, risk] : [limit],
    );
    return { rows, meta: { risk: risk ?? null } };
  },
};
