import { defineConfig } from 'vitest/config';

// Tests that need a service started by scripts/services.sh: pcscd with the vpcd virtual readers
// (one pcscd, two fixed readers, so these files run one at a time) and PostgreSQL.
const INTEGRATION = [
  'card-reader/test/**/*.test.ts',
  'sync/registry/test/**/*.test.ts',
  'electron/host/host-card.test.ts',
  'electron/host/cli.test.ts',
];
const ALL = [
  'common/**/*.test.ts',
  'card-reader/**/*.test.ts',
  'sync/**/*.test.ts',
  'electron/**/*.test.ts',
  'renderer/**/*.test.ts',
  'scripts/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: [
      // Everything else runs on SQLite files, loopback sockets and in-memory cards: in parallel.
      { extends: true, test: { name: 'unit', include: ALL, exclude: INTEGRATION } },
      { extends: true, test: { name: 'integration', include: INTEGRATION, fileParallelism: false } },
    ],
  },
});
