import { defineConfig } from 'vitest/config';

// Tests that need a service started by scripts/services.sh: pcscd with the vpcd virtual readers
// (one pcscd, two fixed readers, so these files run one at a time) and PostgreSQL; and the sync
// runs that start kiosk processes of their own and kill, restart or skew them (seconds each).
const INTEGRATION = [
  'card-reader/test/**/*.test.ts',
  'registry/test/**/*.test.ts',
  'registry/match-secret.test.ts',
  'sync/test/registry-match.test.ts',
  'host/host-card.test.ts',
  'host/host-withdrawal.test.ts',
  'host/host-staff-check.test.ts',
  'host/host-decisions.test.ts',
  'host/cli.test.ts',
  'sync/test/sync-faults.test.ts',
  'sync/test/sync-kill.test.ts',
  'sync/test/sync-clock-skew.test.ts',
  'sync/test/queue-sync-cli.test.ts',
  // Xvfb and pcscd: the start command as root and as another user, under a virtual display.
  'scripts/start-kiosk.test.ts',
  // Xvfb and pcscd: the supervisor's host killed at the consent screen and after a commit.
  'scripts/supervisor-kill.test.ts',
];
const ALL = [
  'common/**/*.test.ts',
  'card-reader/**/*.test.ts',
  'speech/**/*.test.ts',
  'sync/**/*.test.ts',
  'registry/**/*.test.ts',
  'api/**/*.test.ts',
  'host/**/*.test.ts',
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
      // Every core: vitest's default leaves one free, which on a 2-core machine is half the suite's speed.
      { extends: true, test: { name: 'unit', include: ALL, exclude: INTEGRATION, maxWorkers: '100%' } },
      { extends: true, test: { name: 'integration', include: INTEGRATION, fileParallelism: false } },
    ],
  },
});
