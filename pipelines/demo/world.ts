import { BUSINESS_NUMBERS, NAMES, type BusinessNumber, type Lang } from './catalog.ts';
import type { Random } from './random.ts';

/** Hong Kong mobile prefixes whose every number libphonenumber accepts. */
const HK_PREFIXES = ['94', '96', '97', '61', '63', '64', '65', '69'];

/** How a customer behaves over the demo window. */
export type Segment = 'regular' | 'engaged' | 'churner';

/** A demo customer. */
export interface DemoCustomer {
  readonly index: number;
  /** WhatsApp id: country code and number, digits only. */
  readonly waId: string;
  readonly name: string;
  readonly lang: Lang;
  readonly number: BusinessNumber;
  readonly segment: Segment;
  /** Sessions the customer opens per week (before churning, for churners). */
  readonly sessionsPerWeek: number;
  /** Day index of the first contact. */
  readonly firstDay: number;
  /** Day index from which a churner goes quiet. */
  readonly churnDay: number | null;
}

/** Builds the customer base: 70% Hong Kong, 30% Korea; regular, engaged and churning customers. */
export function makeCustomers(rng: Random, count: number, days: number): DemoCustomer[] {
  const customers: DemoCustomer[] = [];
  const hk = BUSINESS_NUMBERS.find((n) => n.country === 'HK')!;
  const kr = BUSINESS_NUMBERS.find((n) => n.country === 'KR')!;
  for (let i = 0; i < count; i++) {
    const isHk = rng.chance(0.7);
    const lang: Lang = isHk ? (rng.chance(0.6) ? 'yue' : 'en') : rng.chance(0.85) ? 'ko' : 'en';
    const segmentRoll = rng.next();
    const segment: Segment = segmentRoll < 0.08 ? 'churner' : segmentRoll < 0.25 ? 'engaged' : 'regular';
    const sessionsPerWeek = segment === 'churner' ? rng.logNormal(1.7, 0.15) : segment === 'engaged' ? rng.logNormal(0.45, 0.5) : rng.logNormal(0.07, 0.8);
    // 40% were already customers when the window opens; the rest arrive evenly.
    const firstDay = segment === 'churner' || rng.chance(0.4) ? 0 : rng.int(0, Math.max(0, days - 1));
    const churnDay = segment === 'churner' ? Math.max(firstDay + 28, days - rng.int(14, 42)) : null;
    // Numbers are unique by construction: the index sits in the subscriber digits.
    const waId = isHk
      ? `852${HK_PREFIXES[i % HK_PREFIXES.length]}${String((Math.floor(i / HK_PREFIXES.length) * 7919 + 12345) % 1_000_000).padStart(6, '0')}`
      : `8210${String((i * 7919 + 2_345_678) % 100_000_000).padStart(8, '0')}`;
    customers.push({ index: i, waId, name: nameFor(rng, lang, isHk), lang, number: isHk ? hk : kr, segment, sessionsPerWeek, firstDay, churnDay: churnDay !== null && churnDay < days ? churnDay : null });
  }
  return customers;
}

function nameFor(rng: Random, lang: Lang, isHk: boolean): string {
  if (lang === 'ko') return rng.chance(0.5) ? rng.pick(NAMES.KR_HANGUL) : `${rng.pick(NAMES.KR_SURNAMES)} ${rng.pick(NAMES.KR_GIVEN)}`;
  if (isHk) return lang === 'en' || rng.chance(0.4) ? `${rng.pick(NAMES.EN_GIVEN)} ${rng.pick(NAMES.HK_SURNAMES)}` : `${rng.pick(NAMES.HK_SURNAMES)} ${rng.pick(NAMES.HK_GIVEN)}`;
  return `${rng.pick(NAMES.EN_GIVEN)} ${rng.pick(NAMES.KR_SURNAMES)}`;
}
