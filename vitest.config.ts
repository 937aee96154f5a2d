import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['card-reader/**/*.test.ts', 'sync/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts'],
    // PC/SC integration tests share one pcscd and two virtual readers: files must not run in parallel.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
