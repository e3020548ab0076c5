import type { DuckDBConnection } from '@duckdb/node-api';
import { afterTransaction, queryOn, type Warehouse } from './db.ts';

/**
 * One load id being taken from `ops.load_id_seq` and used by a transaction that has not
 * ended yet. `id` settles with the id once it is known, or with undefined when the
 * transaction ended without one.
 */
export interface LoadIdAllocation {
  readonly id: Promise<number | undefined>;
  /** The id the sequence gave (call before `end`). */
  allocated(id: number): void;
  /** The transaction committed or rolled back. */
  end(): void;
}

/**
 * The load ids of this process that are handed out but whose transactions have not ended.
 *
 * Load ids come from a sequence, which is not transactional: a load takes its id when its
 * transaction starts and commits later, so loads commit in an order other than their ids
 * (a webhook group takes id 10, a file batch takes 11 and commits first). A build consumes
 * loads up to a snapshot and the next incremental build starts after it; a snapshot of
 * max(load_id) of committed loads (11) would pass load 10, whose rows would then reach the
 * incremental models only at the next full build. `snapshot` caps it below the smallest id
 * still in flight when the build's transaction began, so the next build reads from there.
 *
 * Every writer of loads runs in this process (the server holds the database; DuckDB's lock
 * keeps other processes out), and each takes its id through `begin` before the SQL that
 * calls `nextval` is sent, so every id taken before a build's snapshot is known here.
 */
export class LoadIdRegister {
  private readonly open = new Set<LoadIdAllocation>();
  /** The allocations each snapshot being taken has seen (open when it started, or begun since). */
  private readonly watchers = new Set<Set<LoadIdAllocation>>();

  /** Opens an allocation: call before sending the SQL that takes an id from `ops.load_id_seq`. */
  begin(): LoadIdAllocation {
    let settle!: (id: number | undefined) => void;
    const id = new Promise<number | undefined>((resolve) => (settle = resolve));
    const allocation: LoadIdAllocation = {
      id,
      allocated: (n) => settle(n),
      end: () => {
        settle(undefined); // no effect once allocated
        this.open.delete(allocation);
      },
    };
    this.open.add(allocation);
    for (const seen of this.watchers) seen.add(allocation);
    return allocation;
  }

  /** Allocations not yet ended (for tests and diagnostics). */
  get inFlight(): number {
    return this.open.size;
  }

  /**
   * The highest load id a build may treat as consumed. `read` starts the build's transaction
   * and returns max(load_id) of the loads it sees. Every allocation open before `read` began,
   * or begun while it ran, may be uncommitted in that transaction's view; the snapshot is
   * kept below the smallest of their ids. Those already committed in the view are read
   * again by the next build (incremental merges replace rows by key, so that is harmless).
   * Waits for the ids not yet known: the SQL taking them is already on its way.
   */
  async snapshot(read: () => Promise<number>): Promise<number> {
    const seen = new Set(this.open);
    this.watchers.add(seen);
    let visible: number;
    try {
      visible = await read();
    } finally {
      this.watchers.delete(seen);
    }
    let capped = visible;
    for (const id of await Promise.all([...seen].map((a) => a.id))) {
      if (id !== undefined && id <= capped) capped = id - 1;
    }
    return capped;
  }
}

const registers = new WeakMap<Warehouse, LoadIdRegister>();

/** The register of load ids in flight of a warehouse of this process. */
export function loadIdsOf(wh: Warehouse): LoadIdRegister {
  let r = registers.get(wh);
  if (!r) registers.set(wh, (r = new LoadIdRegister()));
  return r;
}

/**
 * Takes the next load id for the `inTransaction` open on `conn`, registered in flight until
 * that transaction commits or rolls back (every load but the webhook receiver's, which sends
 * its transaction in one round trip, takes its id this way).
 */
export async function nextLoadId(wh: Warehouse, conn: DuckDBConnection): Promise<number> {
  const allocation = loadIdsOf(wh).begin();
  if (!afterTransaction(conn, () => allocation.end())) {
    allocation.end();
    throw new Error('nextLoadId must run inside inTransaction: the load id is in flight until its transaction ends');
  }
  const [row] = await queryOn<{ load_id: number }>(conn, `select nextval('ops.load_id_seq') as load_id`);
  const id = Number(row!.load_id);
  allocation.allocated(id);
  return id;
}
