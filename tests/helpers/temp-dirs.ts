import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeAllWarehouses } from '../../warehouse/db.ts';

/** The temp folders this test file made, removed by `removeTempDirs` once it ends. */
const created: string[] = [];

/**
 * A new folder under the OS temp folder (`<prefix>XXXXXX`), registered so that the
 * teardown of this test file (tests/helpers/temp-dirs.setup.ts) removes it.
 */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * Closes every warehouse the test file left open (an open DuckDB file must not be deleted
 * under its instance), then removes the folders `tempDir` made, and only those.
 */
export async function removeTempDirs(): Promise<void> {
  await closeAllWarehouses();
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
