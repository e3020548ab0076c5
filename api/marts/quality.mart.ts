import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';

/** `GET /api/quality`: the data-quality results of the latest build that ran checks (`ops.dq_results`). */
export const qualityRoute: MartRoute = {
  url: '/api/quality',
  summary: 'Data-quality results of the latest checked build: check, level, status, observed value, threshold',
  roles: ['admin'],
  tables: () => ['ops.dq_results'],
  async read(ctx) {
    const rows = await martQuery(
      ctx.wh,
      `select build_id, run_at, check_name, level, status, observed, threshold, details
       from ops.dq_results
       where build_id = (select max(build_id) from ops.dq_results)
       order by case status when 'fail' then 0 when 'warn' then 1 when 'pass' then 2 else 3 end, check_name`,
    );
    return { rows };
  },
};
