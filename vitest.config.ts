import { defineConfig } from 'vitest/config';

// Tests run in Node against real DuckDB files in temp folders; browser tests drive
// Debian chromium through playwright-core and need the built dashboard.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Closes the warehouses and removes the temp folders each test file made (tests/helpers/temp-dirs.ts).
    setupFiles: ['tests/helpers/temp-dirs.setup.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
