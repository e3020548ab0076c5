import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../config/config.ts';
import type { Logger } from './logger.ts';

/** A value of a raw row: the loader appends it into the column's type. */
export type RawValue = string | number | bigint | boolean | Date | null;

/** A record that could not be loaded, with where it came from and why. */
export interface QuarantinedRecord {
  /** File path, URL or stream the record came from. */
  readonly location: string;
  /** 1-based line number in a file, when there is one. */
  readonly lineNo?: number;
  /** Record id (e.g. a CRM object id) when there is no line. */
  readonly recordId?: string;
  readonly reason: string;
  /** The record as received (truncated by the loader if huge). */
  readonly rawText: string;
}

/**
 * One unit that lands whole or not at all: rows for raw tables, quarantined records and
 * the cursors that say where the source stopped, all committed in one transaction.
 */
export interface Batch {
  /** Rows per raw table (`raw.<name>`), each in the table's column order after `load_id`. */
  readonly rows: Readonly<Record<string, readonly RawValue[][]>>;
  readonly quarantine: readonly QuarantinedRecord[];
  /** Records read from the input, including quarantined and skipped ones. */
  readonly read: number;
  /** Cursor values to store with the batch (key -> value). */
  readonly cursors: Readonly<Record<string, string>>;
  /** Counters kept in the run's details, e.g. `{ system_lines: 3 }`. */
  readonly counters?: Readonly<Record<string, number>>;
  /** Sentences for the run log and `parley status` (e.g. a failover, the first mapping errors). */
  readonly notes?: readonly string[];
  /**
   * Bulk work done by DuckDB itself inside the batch's transaction (its own readers and
   * SQL, for sources too big to parse row by row in JS). It writes raw rows stamped with
   * `work.loadId` and quarantined records into `ops.quarantine`, and says what it did.
   */
  readonly apply?: (work: BatchWork) => Promise<AppliedWork>;
  /**
   * Work on the same connection just before the batch's transaction, for `apply` to use:
   * reading and checking input into temp tables (which cost about twice the CPU when built
   * inside a transaction). It must not write warehouse tables; if it throws, the batch
   * fails like a failed `apply`.
   */
  readonly prepare?: (conn: DuckDBConnection) => Promise<void>;
}

/** What a batch's bulk SQL work runs with. */
export interface BatchWork {
  readonly conn: DuckDBConnection;
  readonly loadId: number;
  readonly runId: number;
  readonly source: string;
}

/** What a batch's bulk SQL work did (added to the batch's own counts). */
export interface AppliedWork {
  readonly read: number;
  readonly loaded: number;
  readonly quarantined: number;
  readonly cursors?: Readonly<Record<string, string>>;
  readonly counters?: Readonly<Record<string, number>>;
  /** Sentences for the run log, after the batch's own `notes`. */
  readonly notes?: readonly string[];
}

/** What a source gets to read with. */
export interface SourceContext {
  readonly config: Config;
  /** The stored cursor value of `key`, if any. */
  cursor(key: string): string | undefined;
  /** A file or folder given with `--path`, read instead of the landing folder. */
  readonly path?: string;
  /** Source-specific options from the CLI or API (e.g. `business`, `date-order`). */
  readonly options: Readonly<Record<string, string>>;
  readonly log: Logger;
  /** Aborted on shutdown: a source stops between batches. */
  readonly signal: AbortSignal;
  /** Injected so tests need no real network or clock. */
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => Date;
}

/**
 * A source of records: it reads what is new after its cursors and yields batches; the
 * loader owns transactions, cursors, the run log and quarantine.
 */
export interface Source {
  /** The name used on the CLI and in the run log, e.g. `whatsapp-cloud`. */
  readonly name: string;
  /** One line for `parley ingest --help` and the API. */
  readonly description: string;
  /** Yields batches of what is new. */
  read(ctx: SourceContext): AsyncIterable<Batch>;
  /** Checks source options before a run (CLI, API), throwing a usage error for a bad or missing one. */
  checkOptions?(options: Readonly<Record<string, string>>, config: Config): void;
  /**
   * Why the source cannot run with this configuration (e.g. crm-api without CRM_API_URL), or
   * undefined when it can: `parley run` skips it, `parley ingest` refuses with this reason.
   */
  readonly unavailable?: (config: Config) => string | undefined;
  /** Where the newest event time of this source's data is (for freshness in status and checks). */
  readonly freshness?: { readonly table: string; readonly column: string; readonly where?: string };
}
