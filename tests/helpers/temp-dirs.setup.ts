import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dirs.ts';

// A vitest setup file: runs in every test file's context, so this hook is the file's last
// teardown (after the file's own afterAll hooks have stopped its servers and apps).
afterAll(removeTempDirs);
