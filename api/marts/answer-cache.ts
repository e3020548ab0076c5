import type { MartAnswer } from './mart-route.ts';

/** Most answers kept (a dashboard page asks a handful of URLs). */
const MAX_ANSWERS = 256;
/** Most bytes of encoded bodies kept. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

/** One mart URL's answer at the cache's data version, and its encoded bodies by format. */
export interface CachedAnswer {
  readonly key: string;
  readonly answer: Promise<MartAnswer>;
  readonly bodies: Map<string, Buffer>;
}

/**
 * What one app's mart routes have read at the current data version: the tables that exist,
 * each URL's answer and its encoded bodies (JSON, CSV), so a repeated request writes bytes
 * already encoded, with no DuckDB query and no serialisation. Marts change only when the
 * data version moves (loads and builds bump it), and everything kept here is dropped the
 * moment a request sees a newer version. One per app: apps never share answers.
 */
export class MartAnswerCache {
  private version = -1;
  private tables: Promise<Set<string>> | undefined;
  private readonly answers = new Map<string, CachedAnswer>();
  private bytes = 0;

  /**
   * True when `version` is the cache's version, after forgetting everything of an older one.
   * Versions only grow: a request that read an older one (before a bump) is answered uncached.
   */
  private at(version: number): boolean {
    if (version < this.version) return false;
    if (version > this.version) {
      this.version = version;
      this.tables = undefined;
      this.answers.clear();
      this.bytes = 0;
    }
    return true;
  }

  /** Tables and views that exist at `version`, listed once per version. */
  existingTables(version: number, list: () => Promise<Set<string>>): Promise<Set<string>> {
    if (!this.at(version)) return list();
    if (!this.tables) {
      const tables = list();
      this.tables = tables;
      tables.catch(() => {
        if (this.tables === tables) this.tables = undefined;
      });
    }
    return this.tables;
  }

  /** The answer of `key` at `version`, read once (a failed read is not kept). */
  answer(version: number, key: string, read: () => Promise<MartAnswer>): CachedAnswer {
    if (!this.at(version)) return { key, answer: read(), bodies: new Map() };
    let cached = this.answers.get(key);
    if (!cached) {
      if (this.answers.size >= MAX_ANSWERS) this.evictOldest();
      cached = { key, answer: read(), bodies: new Map() };
      const entry = cached;
      this.answers.set(key, entry);
      entry.answer.catch(() => this.forget(key, entry));
    }
    return cached;
  }

  /** The body of `entry` in `format` as UTF-8 bytes, encoded once while the entry is kept. */
  body(entry: CachedAnswer, format: string, encode: () => string): Buffer {
    let body = entry.bodies.get(format);
    if (body === undefined) {
      body = Buffer.from(encode(), 'utf8');
      // Kept only while the entry is still this version's (a version move may have dropped it).
      if (this.answers.get(entry.key) === entry) this.keep(entry, format, body);
    }
    return body;
  }

  private keep(entry: CachedAnswer, format: string, body: Buffer): void {
    if (body.length > MAX_BODY_BYTES) return;
    entry.bodies.set(format, body);
    this.bytes += body.length;
    while (this.bytes > MAX_BODY_BYTES && this.answers.size > 0) this.evictOldest();
  }

  private evictOldest(): void {
    const [key, entry] = this.answers.entries().next().value!;
    this.forget(key, entry);
  }

  private forget(key: string, entry: CachedAnswer): void {
    if (this.answers.get(key) !== entry) return;
    this.answers.delete(key);
    for (const b of entry.bodies.values()) this.bytes -= b.length;
  }
}
