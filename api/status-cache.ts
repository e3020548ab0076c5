import { readStatus, type WarehouseStatus } from '../pipelines/status.ts';
import type { Warehouse } from '../warehouse/db.ts';
import { currentDataVersion } from './etag.ts';

/**
 * `readStatus` counts every table's rows; health checks come often, so its answer is kept
 * until the data version moves (runs and builds always move it).
 */
export class StatusCache {
  private cached: { version: number; status: Promise<WarehouseStatus> } | undefined;

  constructor(private readonly wh: Warehouse) {}

  /** The warehouse status at the current data version. */
  async get(): Promise<WarehouseStatus> {
    const version = await currentDataVersion(this.wh);
    if (!this.cached || this.cached.version !== version) {
      const status = readStatus(this.wh);
      this.cached = { version, status };
      status.catch(() => (this.cached = undefined));
    }
    return this.cached.status;
  }
}
