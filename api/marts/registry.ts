import { churnRoute } from './churn.mart.ts';
import { customerRoute } from './customer.mart.ts';
import { funnelRoute } from './funnel.mart.ts';
import { heatmapRoute } from './heatmap.mart.ts';
import { keywordsRoute } from './keywords.mart.ts';
import type { MartRoute } from './mart-route.ts';
import { reportRoute } from './report.mart.ts';
import { responseTimesRoute } from './response-times.mart.ts';
import { staffingRoute } from './staffing.mart.ts';

/** Every route that answers from marts; a new one is a file in this folder and a line here. */
export const MART_ROUTES: readonly MartRoute[] = [reportRoute, responseTimesRoute, keywordsRoute, heatmapRoute, funnelRoute, staffingRoute, churnRoute, customerRoute];
