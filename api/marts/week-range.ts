import { Type } from 'typebox';
import { ApiError } from '../errors.ts';
import { isValidWeek, lastCompleteWeek } from '../../warehouse/reports/iso-week.ts';
import { Week } from '../schemas.ts';
import type { MartContext } from './mart-route.ts';

/** `?week=` (default: the last complete week in PARLEY_TZ). */
export const WeekQuery = { week: Type.Optional(Week) };

/** `?from_week=&to_week=` (default: the last complete week only). */
export const WeekRangeQuery = { from_week: Type.Optional(Week), to_week: Type.Optional(Week) };

/** The week a request asks for, checked to exist. */
export function requestedWeek(ctx: MartContext): string {
  const week = (ctx.query.week as string | undefined) ?? lastCompleteWeek(ctx.clock.now(), ctx.config.tz);
  if (!isValidWeek(week)) throw new ApiError('API_BAD_REQUEST', `week ${week} does not exist (week 53 is only in long ISO years).`);
  return week;
}

/** The week range a request asks for, in order. */
export function requestedWeeks(ctx: MartContext): { from: string; to: string } {
  const last = lastCompleteWeek(ctx.clock.now(), ctx.config.tz);
  const to = (ctx.query.to_week as string | undefined) ?? last;
  const from = (ctx.query.from_week as string | undefined) ?? to;
  for (const w of [from, to]) if (!isValidWeek(w)) throw new ApiError('API_BAD_REQUEST', `week ${w} does not exist (week 53 is only in long ISO years).`);
  if (from > to) throw new ApiError('API_BAD_REQUEST', `from_week ${from} is after to_week ${to}.`);
  return { from, to };
}
