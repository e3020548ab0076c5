import { churnRoute } from './churn.mart.ts';
import { customerRoute } from './customer.mart.ts';
import { funnelRoute } from './funnel.mart.ts';
import { heatmapRoute } from './heatmap.mart.ts';
import { keywordTrendRoute } from './keyword-trend.mart.ts';
import { keywordsRoute } from './keywords.mart.ts';
import type { MartRoute } from './mart-route.ts';
import { qualityRoute } from './quality.mart.ts';
import { quarantineRoute } from './quarantine.mart.ts';
import { reportWeeksRoute } from './report-weeks.mart.ts';
import { reportRoute } from './report.mart.ts';
import { responseHeatmapRoute } from './response-heatmap.mart.ts';
import { responseTimesRoute } from './response-times.mart.ts';
import { staffingRoute } from './staffing.mart.ts';
import { tagsRoute } from './tags.mart.ts';

/** Read-only routes the dashboard needs (trends, the response heatmap, tags, quarantine records, quality results). */
export const DASHBOARD_MART_ROUTES: readonly MartRoute[] = [reportWeeksRoute, responseHeatmapRoute, keywordTrendRoute, tagsRoute, quarantineRoute, qualityRoute];

/** Every route that answers from marts; a new one is a file in this folder and a line here. */
export const MART_ROUTES: readonly MartRoute[] = [reportRoute, responseTimesRoute, keywordsRoute, heatmapRoute, funnelRoute, staffingRoute, churnRoute, customerRoute, ...DASHBOARD_MART_ROUTES];

