import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpDataVersion, compactDataVersionLog, currentDataVersion, readDataVersion } from '../../warehouse/data-version.ts';
import { closeAllWarehouses, inTransaction, type Warehouse } from '../../warehouse/db.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** The version as the database has it, bypassing what the process remembers. */
const stored = (wh: Warehouse) => wh.withConnection(readDataVersion);

describe('data version kept in memory', () => {
  let wh: Warehouse;
  let other: Warehouse;
  beforeAll(async () => {
    ({ wh } = await tempWarehouse());
    ({ wh: other } = await tempWarehouse());
  });
  afterAll(closeAllWarehouses);

  it('follows a bump on its own (autocommit)', async () => {
    const before = await currentDataVersion(wh);
    expect(before).toBe(await stored(wh));
    await wh.withConnection(bumpDataVersion);
    expect(await currentDataVersion(wh)).toBe(before + 1);
    await wh.withConnection(bumpDataVersion);
    expect(await currentDataVersion(wh)).toBe(before + 2);
  });

  it('shows a bump inside a transaction only once it commits, and never one rolled back', async () => {
    const before = await currentDataVersion(wh);
    let seenInside = -1;
    await wh.transaction(async (conn) => {
      await bumpDataVersion(conn);
      // Other connections still see the committed version while this transaction is open.
      seenInside = await currentDataVersion(wh);
    });
    expect(seenInside).toBe(before);
    expect(await currentDataVersion(wh)).toBe(before + 1);

    await expect(
      wh.transaction(async (conn) => {
        await bumpDataVersion(conn);
        throw new Error('the load failed');
      }),
    ).rejects.toThrow('the load failed');
    expect(await currentDataVersion(wh)).toBe(before + 1);
    expect(await stored(wh)).toBe(before + 1);
  });

  it('moves once the transaction commits on a connection kept open (the webhook receiver keeps one)', async () => {
    const conn = await wh.connect();
    try {
      const before = await currentDataVersion(wh);
      for (let i = 1; i <= 3; i++) {
        await inTransaction(conn, (c) => bumpDataVersion(c));
        expect(await currentDataVersion(wh)).toBe(before + i);
      }
    } finally {
      conn.closeSync();
    }
  });

  it('keeps warehouses apart and survives compaction of the log', async () => {
    const mine = await currentDataVersion(wh);
    const theirs = await currentDataVersion(other);
    await other.withConnection(bumpDataVersion);
    expect(await currentDataVersion(other)).toBe(theirs + 1);
    expect(await currentDataVersion(wh)).toBe(mine);
    await wh.withConnection((c) => compactDataVersionLog(c, 0));
    expect(await currentDataVersion(wh)).toBe(mine);
    expect(await stored(wh)).toBe(mine);
  });
});
