import type { Config } from '../../config/config.ts';
import { readTagRules } from '../text/tag-rules.ts';
import { readChurn } from './churn-config.ts';
import { readMessagingLimits } from './messaging-limits.ts';
import { readPromotions } from './promotions.ts';
import { rateCardForSql, readRateCard } from './rate-card.ts';

/**
 * The `{{name}}` variables of the customer models, each JSON read from `config/` and
 * validated: `tag_rules`, `rate_card` (markets flattened to calling codes), `promotions`,
 * `messaging_limits` and `churn`. Models parse them with `from_json`.
 */
export function customerModelVars(config: Pick<Config, 'configDir'>): Record<string, string> {
  const limits = readMessagingLimits(config);
  return {
    tag_rules: JSON.stringify({ tags: readTagRules(config).tags }),
    rate_card: JSON.stringify(rateCardForSql(readRateCard(config))),
    promotions: JSON.stringify(readPromotions(config)),
    messaging_limits: JSON.stringify({
      daily_cap_per_number: limits.daily_cap_per_number,
      per_number: Object.entries(limits.per_number ?? {}).map(([phone_number_id, cap]) => ({ phone_number_id, cap })),
      window_hours: limits.window_hours,
    }),
    churn: JSON.stringify(readChurn(config)),
  };
}
