import type { Config } from '../config/config.ts';
import { readBusinessHours } from './business-hours.ts';
import { customerModelVars } from './customer/customer-vars.ts';

/**
 * The `{{name}}` variables every model may use, each rendered as a SQL string literal:
 * `tz` (PARLEY_TZ), `region` (PARLEY_REGION) and `business_hours` (JSON of
 * `{ranges: [{weekday, open_seconds, close_seconds}], closed_dates: [...]}` from
 * `config/business_hours.json`, parsed in SQL with `from_json`), and the customer
 * models' config (`customerModelVars`: tag_rules, rate_card, promotions, messaging_limits, churn).
 */
export function modelVars(config: Config): Record<string, string> {
  const hours = readBusinessHours(config);
  return {
    tz: config.tz,
    region: config.region,
    business_hours: JSON.stringify({ ranges: hours.ranges, closed_dates: hours.closedDates }),
    ...customerModelVars(config),
  };
}
