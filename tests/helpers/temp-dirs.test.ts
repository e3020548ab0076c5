import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFor } from '../../config/config.ts';
import { openWarehouse } from '../../warehouse/db.ts';
import { removeTempDirs, tempDir } from './temp-dirs.ts';

describe('temp folders of a test file', () => {
  it('are removed at teardown after their warehouses are closed, and other folders are left alone', async () => {
    const mine = tempDir('parley-test-');
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-not-registered-'));
    try {
      expect(path.dirname(mine)).toBe(os.tmpdir());
      const wh = await openWarehouse(configFor(mine, {}));
      await wh.run('create table t as select 1 as x');
      expect(fs.readdirSync(mine).length).toBeGreaterThan(0);

      await removeTempDirs();

      expect(fs.existsSync(mine)).toBe(false);
      expect(fs.existsSync(other)).toBe(true);
      await expect(wh.connect()).rejects.toThrow(/closed/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
