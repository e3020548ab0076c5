import { Type } from 'typebox';
import { martQuery } from './mart-query.ts';
import type { MartRoute } from './mart-route.ts';
import { requestedWeeks, WeekRangeQuery } from './week-range.ts';

/** `GET /api/metrics/response-times`: per agent and week, from `marts.agg_agent_response_weekly`. */
export const responseTimesRoute: MartRoute = {
  url: '/api/metrics/response-times',
  summary: 'Response times per agent and week (median, p90, average, needs_training), with the agent\'s name',
  roles: ['manager', 'scheduler'],
  querystring: Type.Object({ ...WeekRangeQuery, agent_id: Type.Optional(Type.String({ maxLength: 200 })) }),
  tables: () => ['marts.agg_agent_response_weekly', 'marts.dim_agents'],
  async read(ctx) {
    const { from, to } = requestedWeeks(ctx);
    const agent = ctx.query.agent_id as string | undefined;
    const rows = await martQuery(
      ctx.wh,
      `select r.*, d.name as agent_name from marts.agg_agent_response_weekly as r left join marts.dim_agents as d on d.agent_id = r.agent_id
       where r.week between $1 and $2 ${agent ? 'and r.agent_id = $3' : ''} order by r.week, r.agent_id`,
      agent ? [from, to, agent] : [from, to],
    );
    return { rows, meta: { from_week: from, to_week: to } };
  },
};
