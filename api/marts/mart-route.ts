import type { TObject, TSchema } from 'typebox';
import type { Config, Role } from '../../config/config.ts';
import type { Clock } from '../../pipelines/clock.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import type { ReportRenderers } from '../reports/report-registry.ts';

/** What a mart route's query gets. */
export interface MartContext {
  readonly wh: Warehouse;
  readonly config: Config;
  readonly clock: Clock;
  readonly reports: ReportRenderers;
  readonly query: Record<string, unknown>;
  readonly params: Record<string, string>;
}

/** A table answer: rows for JSON (`{rows, ...meta}`) and CSV. */
export interface MartAnswer {
  readonly rows: readonly Record<string, unknown>[];
  /** Extra fields of the JSON answer (e.g. the week or the customer). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** An answer in another format (`?format=md`), e.g. a rendered report. */
export interface FormattedAnswer {
  readonly contentType: string;
  readonly body: string;
}

/**
 * One GET route that answers from marts (never recomputing from raw per request). The
 * plumbing around it (`registerMartRoutes`) checks roles, answers 503 when a table it reads
 * is not built yet, sets the ETag from the data version (304 when unchanged) and adds
 * `?format=csv`. Add a route as one file under `api/marts/` and list it in `MART_ROUTES`.
 */
export interface MartRoute {
  readonly url: string;
  readonly summary: string;
  readonly roles: readonly Role[];
  /** Tables the route reads (`marts.x`); any missing answers 503 API_MART_NOT_BUILT. */
  tables(params: Record<string, string>): readonly string[];
  /** Query-string filters (`format` is added by the plumbing). */
  readonly querystring?: TObject;
  readonly params?: TObject;
  /** One row's schema (default: any object). */
  readonly row?: TSchema;
  /** Extra fields of the JSON answer. */
  readonly meta?: Readonly<Record<string, TSchema>>;
  /** Reads the answer; throw ApiError('API_NOT_FOUND') when what was asked for does not exist. */
  read(ctx: MartContext): Promise<MartAnswer>;
  /** Formats besides json and csv, e.g. `md` and `html` for reports. */
  readonly formats?: Readonly<Record<string, (ctx: MartContext) => Promise<FormattedAnswer>>>;
}
