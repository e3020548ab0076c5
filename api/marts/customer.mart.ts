import { Type } from 'typebox';
import { ApiError } from '../errors.ts';
import { AnyObject } from '../schemas.ts';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';

/** `GET /api/customers/:id`: one customer and their message timeline, newest first. */
export const customerRoute: MartRoute = {
  url: '/api/customers/:id',
  summary: "One customer (from marts.dim_customers) and their timeline of messages",
  roles: ['manager'],
  params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
  querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 500 })) }),
  meta: { customer: AnyObject },
  tables: () => ['marts.dim_customers', 'marts.fct_messages'],
  async read(ctx) {
    const id = ctx.params.id!;
    const [customer] = await martQuery(ctx.wh, 'select * from marts.dim_customers where customer_id = $1', [id]);
    if (!customer) throw new ApiError('API_NOT_FOUND', `No customer ${id} in marts.dim_customers.`);
    const rows = await martQuery(ctx.wh, 'select * from marts.fct_messages where customer_id = $1 order by sent_at desc limit $2', [id, Number(ctx.query.limit ?? 500)]);
    return { rows, meta: { customer } };
  },
};
