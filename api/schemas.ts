import { Type, type TSchema } from 'typebox';
import { WEEK_PATTERN } from '../warehouse/reports/iso-week.ts';

/** The body of every error answer. */
export const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });

/** Error answers a route documents (4xx and 5xx share one shape). */
export const errorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/** A JSON object whose fields the route does not fix (mart rows). */
export const AnyObject = Type.Record(Type.String(), Type.Unknown());

/** A timestamp on the wire: ISO 8601 in UTC. */
export const Timestamp = Type.String({ format: 'date-time' });

/** A nullable value. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** An ISO week label such as 2026-W47. */
export const Week = Type.String({ pattern: WEEK_PATTERN, description: 'ISO week in PARLEY_TZ, e.g. 2026-W47' });
