import { defineConfig } from 'vitest/config';

// Two suites: `unit` runs anywhere (DuckDB is embedded); `integration` needs the local stack
// (scripts/stack) and brings it up itself.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['tests/unit/support/cleanup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/integration/global-setup.ts'],
          setupFiles: ['tests/unit/support/cleanup.ts'],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
